from collections import Counter

import pytest

from assistant.councils import canonical, councils, councils_named_in, official, typed_councils_in
from assistant.query import council_alias, is_held


def test_the_table_holds_every_principal_council_once():
    kinds = Counter(c.kind for c in councils())
    assert sum(kinds[k] for k in ("county", "unitary", "metropolitan", "london")) == 153  # children's services
    assert (kinds["district"], kinds["wales"], kinds["scotland"], kinds["northern ireland"]) == (164, 22, 32, 11)
    names = [c.name for c in councils()]
    assert len(names) == len(set(names))
    assert {s for c in councils() for s in c.successors} <= set(names)
    assert all(c.successors for c in councils() if c.kind == "abolished")
    assert kinds["ireland"] == 31  # 26 county, 3 city, 2 city and county councils since 2014


@pytest.mark.parametrize("given,name", [
    ("COMHAIRLE CONTAE CHORCAÍ", "Cork County Council"),  # a bilingual cover's Irish line
    ("DLR", "Dún Laoghaire-Rathdown County Council"),
    ("Dun Laoghaire-Rathdown County Council", "Dún Laoghaire-Rathdown County Council"),
    ("Fingal", "Fingal County Council"),
    ("Limerick County Council", "Limerick City and County Council"),  # merged in 2014
])
def test_irish_local_authorities_are_known_too(given, name):
    assert official(given) == name


def test_a_bilingual_irish_cover_gives_the_council_in_english():
    from ingest.origin import record_council
    from ingest.records import Page

    cover = "COMHAIRLE CONTAE CHORCAÍ CORK COUNTY COUNCIL\n\nMinutes of Proceedings at Ordinary Meeting"
    assert record_council((Page(1, cover),)) == "Cork County Council"
    assert councils_named_in("What did Clare Smith say about Cork City and Fingal?") == (
        "Cork City Council", "Fingal County Council")  # "Clare" the person is not Clare County Council


@pytest.mark.parametrize("given,name", [
    ("BCP", "Bournemouth, Christchurch and Poole Council"),
    ("BCP Council", "Bournemouth, Christchurch and Poole Council"),
    ("Bournemouth, Christchurch and Poole", "Bournemouth, Christchurch and Poole Council"),
    ("Hull", "Kingston upon Hull City Council"),
    ("Kent", "Kent County Council"),
    ("KENT COUNTY COUNCIL", "Kent County Council"),
    ("  Kent   County Council. ", "Kent County Council"),
    ("Rutland", "Rutland County Council"),
    ("Norfolk Council", "Norfolk County Council"),  # a report's loose cover name
    ("Sefton Borough Council", "Sefton Metropolitan Borough Council"),
    ("St. Helens", "St Helens Metropolitan Borough Council"),
    ("Camden", "London Borough of Camden"),
    ("Somerset County Council", "Somerset Council"),
    ("North Yorkshire County Council", "North Yorkshire Council"),
    ("Taunton Deane Borough Council", "Somerset Council"),  # abolished into a council itself abolished
    ("Cumbria County Council", "Cumbria County Council"),  # two successors: neither can claim its records
    ("Northamptonshire", "Northamptonshire County Council"),
])
def test_a_uk_council_is_known_by_its_official_name(given, name):
    assert canonical(given) == official(given) == name


@pytest.mark.parametrize("given,kept", [
    ("Stoke Ferry Parish Council", "Stoke Ferry Parish Council"),
    ("STOKE FERRY PARISH COUNCIL", "Stoke Ferry Parish Council"),
    ("WRETTON PC", "Wretton PC"),
    ("Lichfield City Council", "Lichfield City Council"),  # a parish-level city council, not Lichfield District
    ("City of Cleveland", "City of Cleveland"),
    ("Cleveland City Council", "Cleveland City Council"),
    ("Portland City Council", "Portland City Council"),
    ("CITY OF PORTLAND, OREGON", "City of Portland, Oregon"),
    ("newcastle-under-lyme town council", "Newcastle-under-Lyme Town Council"),
])
def test_other_councils_are_kept_as_the_record_names_them(given, kept):
    assert canonical(given) == kept and official(given) is None


@pytest.mark.parametrize("given", [None, "", "   "])
def test_nothing_is_no_council(given):
    assert canonical(given) is None and official(given) is None


@pytest.mark.parametrize("question,named", [
    ("How has Rutland's Ofsted rating changed since 2020?", ("Rutland County Council",)),
    ("Which inspector led both BCP and Kent’s inspections?",
     ("Bournemouth, Christchurch and Poole Council", "Kent County Council")),
    ("What did North Northamptonshire decide?", ("North Northamptonshire Council",)),  # not Northamptonshire
    ("Compare west sussex and East Sussex", ("West Sussex County Council", "East Sussex County Council")),
    ("How much did Kent County Council spend?", ("Kent County Council",)),
    ("Who runs children's social care in Slough?", ("Slough Borough Council",)),
    ("When was Cumbria's county council replaced?", ("Cumbria County Council",)),
    ("B&NES and H&F", ("Bath and North East Somerset Council", "London Borough of Hammersmith and Fulham")),
])
def test_a_question_names_councils(question, named):
    assert councils_named_in(question) == named


@pytest.mark.parametrize("question", [
    "what did bcp decide?",  # an acronym counts only as written
    "Is the hull of the boat sound?",  # a one-word name counts only capitalised
    "Reading the minutes, what was agreed?",
    "What happened in New York and New Hampshire?",
    "What did Stoke Ferry Parish Council agree?",
    "What did Norfolk City Council decide?",  # another council of that name
    "Which councils in Bury St Edmunds?",
])
def test_words_and_other_places_are_not_councils(question):
    assert councils_named_in(question) == ()


@pytest.mark.parametrize("question,named", [
    ("What did Winnipeg City Council decide about snow clearing?", ("Winnipeg City Council",)),
    ("Did the City of Toronto approve the budget?", ("City of Toronto",)),
    ("How did Cork County Council vote?", ("Cork County Council",)),
    ("Compare Winnipeg City Council with Toronto", ("Winnipeg City Council",)),  # a verb is no part of a name
    ("What did Kent County Council decide?", ("Kent County Council",)),  # the table's name for it
    ("What did the County Council decide?", ()),  # a type alone names no council
    ("When did Ofsted inspect Kent?", ()),  # a bare place is the table's business, not a typed name
])
def test_a_question_names_councils_of_any_country_by_their_type(question, named):
    assert typed_councils_in(question) == named


def test_a_council_asked_about_is_held_under_a_longer_name_but_not_a_different_one():
    held = {council_alias(c) for c in ("Northwold and Whittington Parish Council", "City of Toronto")}
    assert is_held("Northwold Parish Council", held)
    assert is_held("Toronto City Council", held)
    assert not is_held("Winnipeg City Council", held)
    assert not is_held("Whittington Town Council", {council_alias("Kent County Council")})
