import pytest

from ingest.origin import body_name, record_committee, record_council, title_date
from ingest.records import Page


def _pages(*texts):
    return tuple(Page(i, t) for i, t in enumerate(texts, start=1))


@pytest.mark.parametrize("text,council", [
    ("KENT COUNTY COUNCIL\n\nCABINET\n\nMINUTES of a meeting of the Cabinet held on Thursday, 9 January 2025.",
     "Kent County Council"),
    ("Inspection of Bournemouth,\nChristchurch and Poole local authority\nchildren’s services\n\nInspection dates: 1 to 5 May",
     "Bournemouth, Christchurch and Poole Council"),
    ("Norfolk Council\n\nRe-inspection of services for children in need of help and protection", "Norfolk County Council"),
    ("DRAFT MINUTES OF THE WEST DEREHAM EXTRAORDINARY PARISH COUNCIL MEETING HELD AT THE VILLAGE HALL",
     "West Dereham Parish Council"),
    ("The City Record Official Publication of the Council of the City of Cleveland", "Cleveland City Council"),
    ("A REGULAR MEETING OF THE COUNCIL OF THE CITY OF PORTLAND, OREGON WAS HELD", "Portland City Council"),
    ("A Regular Meeting of the Council of the City of Vancouver was held on Tuesday", "Vancouver City Council"),
    ("Northmoor Borough Council\n\nCabinet", "Northmoor Borough Council"),  # not a UK council we know: as named
    # Councils abroad, as their records name themselves (#14: Irish and Canadian minutes).
    ("MINUTES OF THE MONTHLY MEETING OF DUBLIN CITY COUNCIL HELD IN THE COUNCIL CHAMBER, CITY HALL",
     "Dublin City Council"),
    ("Minutes of the County Council Meeting of Dún Laoghaire-Rathdown County Council held on 13 February 2023",
     "Dún Laoghaire-Rathdown County Council"),
    ("City Council\nMeeting No. 5\nMeeting Date Wednesday, February 8, 2023\n\nCity of Toronto\nCity Council Minutes",
     "City of Toronto"),
    ("The Corporation of the Town of Oakville\nCOUNCIL MEETING MINUTES\nMonday, March 20, 2023", "Town of Oakville"),
    ("The Regional Municipality of Durham\nMinutes\nRegional Council", "Regional Municipality of Durham"),
    ("HALIFAX REGIONAL MUNICIPALITY\nHALIFAX REGIONAL COUNCIL\nMINUTES", "Halifax Regional Municipality"),
    ("REGULAR COUNCIL MEETING MINUTES CITY OF VANCOUVER MARCH 7, 2023", "City of Vancouver"),
])
def test_the_council_is_the_one_the_title_area_names(text, council):
    assert record_council(_pages(text)) == council


@pytest.mark.parametrize("text", [
    "Placement report\nChildren placed in the county of residence\n7 March 2023",  # a phrase, not a name
    "Municipal District of Kanturk Mallow\nMinutes of meeting held 7 March 2023",  # a body of a county council
])
def test_a_place_phrase_that_is_no_council_s_name_gives_none(text):
    assert record_council(_pages(text)) is None


def test_a_councillor_s_council_is_not_the_record_s():
    text = "Minutes of the meeting held on 2 May 2024\n\nPresent: Cllr Martin Storey, Norfolk County Council"
    assert record_council(_pages(text)) is None


def test_a_council_mentioned_in_the_body_is_not_the_author():
    body = "A" * 700 + "\n\nMr Lehmann declared that he was a Member of Swale Borough Council."
    assert record_council(_pages("By: Scrutiny Research Officer\n\nTo: Cabinet - 4 March 2025\n\n" + body)) is None


def test_a_running_header_names_the_council():
    running = ("Inspection of Bracknell Forest local authority children’s services", "9 to 20 May 2022 4")
    assert record_council(_pages("Inspection dates: 9 to 20 May 2022"), running) == "Bracknell Forest Council"


def test_the_council_a_record_calls_itself_throughout_counts_when_nothing_else_does():
    pages = _pages("Summary: the plan for schools.", "KCC will consult. Medway Council agreed.", "KCC and KCC again.")
    assert record_council(pages) == "Kent County Council"
    assert record_council(_pages("KCC will consult.", "Medway Council agreed; KCC noted; Medway Council")) is None


@pytest.mark.parametrize("text,committee", [
    ("From: Sue Chandler, Cabinet Member for Integrated Children’s Services\n\nTo: Cabinet – 30 January 2025\n\n"
     "Subject: Transfer", "Cabinet"),
    ("From:\n\nDeputy Leader and Cabinet Member for Finance\n\nTo:\n\nCounty Council – 13 March 2025", "County Council"),
    ("By: Peter Oakford\n\nTo: County Council Date: 13 March 2025", "County Council"),
    ("CORPORATE PARENTING PANEL– 29 October 2024\n\nMINUTES of the meeting held in the Darent Room.", "Corporate Parenting Panel"),
    ("Eastbridge County Council\n\nMinutes of the meeting of the Corporate Parenting Panel held on 14 November",
     "Corporate Parenting Panel"),
    ("Decision details\n\nDecided at meeting: 19/10/2015 - Policy Committee", "Policy Committee"),
    ("KENT COUNTY COUNCIL – RECORD OF DECISION\n\nDECISION TO BE TAKEN BY:\n\nMrs Sue Chandler, Cabinet Member for "
     "Integrated Children’s Services", None),
    ("MINUTES OF WRETTON PARISH COUNCIL MEETING HELD AT THE CHURCH", None),  # the council as a whole
])
def test_the_committee_is_the_body_the_record_is_of_or_for(text, committee):
    pages = _pages(text)
    assert record_committee(pages, (), record_council(pages)) == committee


@pytest.mark.parametrize("text,name", [
    ("Sue Chandler, Cabinet", None),
    ("Deputy Leader and Cabinet", None),
    ("Growth, Economic Development and Communities Cabinet Committee", "Growth, Economic Development and Communities Cabinet Committee"),
    ("CABINET", "Cabinet"),
    ("Scrutiny", None),
    ("All Members of the Council", None),
])
def test_a_body_is_not_a_person_or_a_role(text, name):
    assert body_name(text) == name


def test_a_running_header_dates_a_record_that_has_no_date_at_its_top():
    assert title_date(_pages("Question 1\n\nQuestion by a member"), ("COUNTY COUNCIL", "Thursday 13 March 2025")) == "2025-03-13"
