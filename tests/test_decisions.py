"""Decisions as first-class records: found in every shape real minutes use, stored as passages of
their own, listed by the precedent finder, and filters that let through only what they name."""
import csv
import json

import pytest

from assistant.cli import main
from conftest import SHARED, needs_shared
from ingest.chunk import chunk_document
from ingest.decisions import find_decisions
from ingest.filters import Filters
from ingest.metadata import infer_metadata
from ingest.readers import parse_bytes
from ingest.records import Document, Page


def _decisions(text):
    return find_decisions(text)


@pytest.mark.parametrize("text,parts,effect,votes", [
    ("RESOLVED:\n\nThat the Local Offer be approved.", ("That the Local Offer be approved.",), "approved", None),
    ("The panel discussed the plan. RESOLVED that the work programme be noted. The Chair closed the item.",
     ("that the work programme be noted.",), "noted", None),
    ("RESOLVED – to note the update on fostering.", ("to note the update on fostering.",), "noted", None),
    ("Resolved That: The Improving Lives Select Commission:\n\n1. Noted the report.\n\n2. Agreed that a briefing be provided.",
     ("Noted the report.", "Agreed that a briefing be provided."), "agreed", None),
    ("Decision:\n\nThat approval be given to consult on new arrangements.\n\nPublication date: 22/10/2015",
     ("That approval be given to consult on new arrangements.",), "approved", None),
    ("RECORD OF DECISION\n\nI agree to: APPROVE the award of the contract to Acme Ltd.",
     ("APPROVE the award of the contract to Acme Ltd.",), "approved", None),
    ("The purchase of these crosses was approved. (Cllr Kit Hesketh-Harvey proposed, Cllr Stuart Collins seconded, "
     "all were in favour). The Clerk will order them.", None, "approved",
     "Cllr Kit Hesketh-Harvey proposed, Cllr Stuart Collins seconded, all were in favour"),
    ("Motion: That this Council declares a climate emergency.\n\nFor (39) Against (19) Abstain (1)\n\nMotion carried.",
     None, None, "for 39, against 19, abstain 1; carried"),
    # A structured motion with its named vote (ingest/parse_json.py): the whole paragraph, never cut at a sentence.
    ("Motion: That the greenway proceed to Part 8 planning. Moved by Cllr Declan Moran, seconded by Cllr Niamh Brennan. "
     "For (4): Cllr Niamh Brennan, Cllr Declan Moran, Cllr Aoife Walsh, Cllr Gráinne Foley, Cllr Seán Duffy, "
     "Cllr Tomás Keane. Against (1): Cllr Pádraig Ó Ceallaigh. Result: Carried.",
     ("That the greenway proceed to Part 8 planning.",), None, "for 4, against 1; carried"),
    ("Motion: That the Council approve a 30 km/h limit on the approach road. Moved by Cllr Tomás Keane. "
     "For (1): Cllr Tomás Keane. Against (2): Cllr Niamh Brennan, Cllr Declan Moran. Result: Lost.",
     ("That the Council approve a 30 km/h limit on the approach road.",), "refused", "for 1, against 2; lost"),
    ("RESOLVED that the decision proposed to be taken by the Cabinet Member to:(i)agree the new payment structure; "
     "and(ii)delegate authority to the Corporate Director.", ("agree the new payment structure", "delegate authority to the Corporate Director."),
     "agreed", None),
    # Minutes abroad (#14): Irish "ORDER:" lines and outcome sentences, Canadian and Toronto motions.
    ('"That this Council calls on the Minister to extend the Tenant in Situ scheme."\n\nORDER: Agreed.', None, "agreed", None),
    ('"That this Council calls on the Minister to extend the scheme." The motion was agreed.', None, "agreed", None),
    ("Report No. 64/2022 of the Chief Executive was noted.", ("Report No. 64/2022 of the Chief Executive was noted.",),
     "noted", None),
    ("ORDER: Report noted.", None, "noted", None),
    ("The Council AGREED to the disposal of the property at 12 Main Street.",
     ("to the disposal of the property at 12 Main Street.",), "agreed", None),
    ("The motion was put to a vote and declared carried.", None, "agreed", None),
    ('"That the car park close on Sundays." The motion was put to a vote and declared lost.', None, "refused", None),
    ("Council Decision: City Council on March 5, 2024, adopted the following: 1. City Council direct the Chief "
     "Planner to report.", None, "approved", None),
])
def test_decision_variants_are_found_with_parts_effect_and_votes(text, parts, effect, votes):
    found = _decisions(text)
    assert len(found) == 1, [d.text for d in found]
    decision = found[0]
    assert decision.text == text[decision.start:decision.end]  # verbatim offsets
    assert "The Clerk will order" not in decision.text and "closed the item" not in decision.text
    if parts is not None:
        assert decision.parts == parts
    if effect is not None:
        assert decision.effect == effect
    assert decision.votes == votes


def test_ordinary_prose_is_not_a_decision():
    assert _decisions("Issues were being resolved with officers. A resolution in favor of Ukraine was read.") == []
    # A report's history is no decision of this meeting's.
    assert _decisions("1.2 This report was noted by the Governance and Audit Committee at its meeting on 12 December "
                      "2024 prior to its submission to the County Council.") == []


def test_procedural_decisions_are_marked():
    minutes, apologies, bench = _decisions(
        "RESOLVED: That the minutes of the meeting held on 12 August 2020 be approved as a correct record.\n\n"
        "RESOLVED: That apologies from Cllr Reeve be accepted.\n\nRESOLVED: That a bench be bought for the green.")
    assert minutes.procedural and apologies.procedural and not bench.procedural


def _document(path):
    parsed = parse_bytes(path.name, path.read_bytes())
    pages = parsed.parts[0].pages if parsed.parts else parsed.pages
    return Document("doc0123456789abc", str(path), "sha", pages, infer_metadata(path.name, pages, parsed.title))


@needs_shared
@pytest.mark.parametrize("name,count,parts,effect", [
    ("seeds/000_ede271a41d0e0c0d.txt", 1, 2, None),  # Rutland: two numbered resolutions
    ("seeds/001_30f43319ed282e88.txt", 1, 4, None),  # Rotherham: "Resolved That: … 1. Noted … 4."
    ("seeds/002_214ac6667bdaa186.txt", 1, 1, "noted"),  # Slough: "That the report be noted."
    ("seeds/003_07580bce24a35a37.txt", 0, 0, None),  # BCP January: minutes cut before any resolution
    ("seeds/004_322659bdc6da8f4a.txt", 1, 1, None),  # BCP June 2021
])
def test_seed_decisions_and_their_numbered_parts(name, count, parts, effect):
    decisions = [c.decision for c in chunk_document(_document(SHARED / name)) if c.decision]
    assert len(decisions) == count
    if count:
        assert len(decisions[0].parts) == parts
        assert not decisions[0].procedural  # under ModernGov's "Minutes:" label, yet not about minutes
        assert effect is None or decisions[0].effect == effect
    if name.startswith("seeds/002"):
        assert decisions[0].parts == ("That the report be noted.",)


def test_a_decision_is_one_passage_never_cut_and_keeps_its_heading():
    parts = "\n\n".join(f"({i}) That the placement sufficiency strategy action {i} be funded from the reserve and "
                        f"reported to the Corporate Parenting Board each quarter with the measures agreed." for i in range(1, 11))
    text = ("41. PLACEMENT SUFFICIENCY (Agenda Item 5)\n\nThe Director introduced the report.\n\n"
            f"RESOLVED: That\n\n{parts}\n\n42. WORK PROGRAMME (Agenda Item 6)\n\nThe work programme was noted by all.")
    doc = Document("d", "s", "h", (Page(1, text),), infer_metadata("x.txt", (Page(1, text),), None))
    decision_chunks = [c for c in chunk_document(doc, max_words=60) if c.decision]
    assert len(decision_chunks) == 1
    chunk = decision_chunks[0]
    assert chunk.text.startswith("RESOLVED: That") and chunk.text.endswith("measures agreed.")
    assert len(chunk.decision.parts) == 10 and len(chunk.text.split()) > 60
    assert chunk.heading == "41. PLACEMENT SUFFICIENCY (Agenda Item 5)"
    assert "PLACEMENT SUFFICIENCY" in chunk.indexed_text()


def test_filters_let_through_only_what_they_name():
    facets = {"council": "Rotherham Metropolitan Borough Council", "committee": "Improving Lives Select Commission",
              "date": 20230712, "kind": "minutes", "decision": True}
    assert Filters(councils=("rotherham",)).allows(facets)
    assert not Filters(councils=("Rutland",)).allows(facets)
    assert Filters(since="2023", until="2023-07").allows(facets)
    assert not Filters(since="2023-08-01").allows(facets)
    assert not Filters(kinds=("inspection_report",)).allows(facets)
    assert not Filters(decisions_only=True).allows({**facets, "decision": False})
    assert not Filters(since="2020").allows({**facets, "date": None})  # undated: not provably in range
    with pytest.raises(ValueError, match="not a date"):
        Filters(since="last Tuesday week")


@pytest.mark.parametrize("wanted", ["Surrey", "Surrey County Council", "surrey county council"])
@pytest.mark.parametrize("stored", ["Surrey County Council", "Surrey"])  # "Surrey": a library ingested before names were official
def test_a_council_filter_finds_the_council_by_any_of_its_names(wanted, stored):
    from ingest.filters import FacetColumns

    facets = [{"council": stored}, {"council": "Kent County Council"}]
    filters = Filters(councils=(wanted,))
    assert [filters.allows(f) for f in facets] == [True, False]
    assert list(filters.mask(FacetColumns.of(facets))) == [True, False]


def test_a_council_filter_knows_acronyms():
    assert Filters(councils=("BCP",)).allows({"council": "Bournemouth, Christchurch and Poole Council"})


def test_filter_masks_agree_with_filters_passage_by_passage():
    import random

    import numpy as np

    from ingest.filters import FacetColumns

    rnd = random.Random(3)
    facets = [{"council": rnd.choice(["Rotherham Metropolitan Borough Council", "Kent County Council", None]),
               "committee": rnd.choice(["Cabinet", "Audit Committee", None]), "kind": rnd.choice(["minutes", "report", None]),
               "date": rnd.choice([None, 20200110, 20230712, 20240301]), "decision": rnd.random() < 0.2} for _ in range(2000)]
    columns = FacetColumns.of(facets)
    for filters in (Filters(councils=("kent",)), Filters(since="2021", until="2023-12"), Filters(kinds=("minutes",)),
                    Filters(committees=("audit",), councils=("rother", "KENT")), Filters(decisions_only=True), Filters()):
        expected = np.array([filters.allows(f) for f in facets])
        assert (filters.mask(columns) == expected).all(), filters
        assert 0 < expected.sum() <= len(facets)


def test_filtered_questions_cite_only_matching_passages(demo_store, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.open(Settings(store=demo_store), embedder=embedder)
    question = "What was decided about care leavers?"
    unfiltered = assistant.ask(question, k=8)
    councils = {c.council for c in unfiltered.citations}
    assert len(councils) > 1  # the filter below has something to remove
    for council in councils - {None}:
        answer = assistant.ask(question, k=8, filters=Filters(councils=(council,)))
        assert answer.citations and {c.council for c in answer.citations} == {council}
        assert answer.to_json()["filters"]["councils"] == [council]
    decided = assistant.ask(question, k=5, filters=Filters(decisions_only=True))
    assert decided.citations and all(c.text.lstrip().upper().startswith(("RESOLVED", "DECISION", "I AGREE", "IT WAS"))
                                     or "agreed" in c.text.lower() for c in decided.citations)
    dated = assistant.ask(question, k=8, filters=Filters(since="2024-01-01", until="2024-12-31"))
    assert all(c.meeting_date and c.meeting_date.startswith("2024") for c in dated.citations)
    nothing = assistant.ask(question, filters=Filters(councils=("No Such Council",)))
    assert nothing.abstained and not nothing.citations


@pytest.mark.parametrize("question,asks", [
    ("What was resolved about care leavers?", True), ("What exactly did the Cabinet Member decide about the hubs?", True),
    ("What did the council approve in 2011?", True),
    ("Which councillors called in the decision on the family hubs?", False),  # about a decision, not what it did
    ("What is the decision date?", False), ("Did Kent approve the plan?", False)])
def test_a_question_that_asks_what_was_decided(question, asks):
    from assistant.library_view import WHAT_WAS_DECIDED

    assert bool(WHAT_WAS_DECIDED.search(question)) == asks


def test_procedural_decisions_stay_searchable_but_are_not_listed(make_assistant, tmp_path):
    record = tmp_path / "ashby_council_2024-03-04_minutes.txt"
    record.write_text("Minutes of the meeting of Ashby Town Council held on 4 March 2024\n\n"
                      "1. MINUTES OF THE LAST MEETING\n\nRESOLVED: That the minutes of the meeting held on "
                      "5 February 2024 be approved as a correct record.\n\n2. TOWN PARK BENCHES\n\n"
                      "RESOLVED: That six oak benches be bought for the town park at a cost of £3,000.", encoding="utf-8")
    assistant = make_assistant()
    assistant.ingest([record])
    listed = assistant.decisions()
    assert [e.citation.text for e in listed] == ["RESOLVED: That six oak benches be bought for the town park at a cost of £3,000."]
    assert listed[0].effect == "resolved" and listed[0].citation.meeting_date == "2024-03-04"
    found = assistant.retriever.search("minutes of the meeting held on 5 February approved correct record", 3)
    assert any("correct record" in h.chunk.text and h.chunk.decision.procedural for h in found)


@needs_shared
def test_precedent_finder_ranks_care_leaver_decisions_first(seeds_assistant, capsys, tmp_path):
    store = str(seeds_assistant.settings.store)
    out = tmp_path / "decisions.csv"
    assert main(["decisions", "--topic", "care leavers", "--json", "--csv", str(out), "--store", store]) == 0
    listed = json.loads(capsys.readouterr().out)["decisions"]
    assert {d["source"].rsplit("/", 1)[-1] for d in listed[:2]} == {"000_ede271a41d0e0c0d.txt", "001_30f43319ed282e88.txt"}
    assert all(d["n"] == i for i, d in enumerate(listed, start=1))
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert len(rows) == len(listed) and rows[0]["decision"] == listed[0]["text"]
    assert main(["decisions", "--store", store]) == 0  # no topic: newest first
    text = capsys.readouterr().out
    assert text.index("2021-06-08") < text.index("That the report be noted.")  # dated before undated


def test_unrecognised_records_are_ingested_as_plain_text_with_a_warning(make_assistant, tmp_path):
    record = tmp_path / "notes.txt"
    record.write_text("Some thoughts on the village fete, written down for later and kept for the record.", encoding="utf-8")
    report = make_assistant().ingest([record])
    assert report.count("added") == 1
    assert "not recognised" in report.outcomes[0].message


def test_stats_show_decisions_by_council_committee_and_year(demo_store, capsys):
    assert main(["stats", "--store", str(demo_store)]) == 0
    out = capsys.readouterr().out
    assert "decisions by council:" in out and "decisions by year:" in out
    decisions = int(out.split("decisions: ", 1)[1].split()[0])
    assert decisions > 0
    by_year = out.split("decisions by year:\n", 1)[1]
    assert sum(int(line.split()[0]) for line in by_year.splitlines() if line.strip()) == decisions


@needs_shared
@pytest.mark.parametrize("name,first,last", [
    ("dev/parish/parish_stoke-ferry-pc_2020-09-09_minutes.md", "150/20", "172/20"),
    ("dev/parish/parish_wereham-pc_2016-04-12_extraordinary-minutes.md", "1/16", "27/16"),
    ("dev/parish/parish_wretton-pc_2020-05-04_minutes.md", "1", "8"),
])
def test_printed_minutes_split_into_numbered_items(name, first, last):
    chunks = chunk_document(_document(SHARED / name))
    minutes = [c.meta.minute for c in chunks if c.meta.minute]
    assert minutes[0] == first and minutes[-1] == last
    series = first.partition("/")[2]  # "20" of "150/20"; Wereham also has a "1. i) Highways" sub-heading
    numbers = [int(m.partition("/")[0]) for m in minutes if m.partition("/")[2] == series]
    assert numbers == sorted(numbers)  # in the record's order, each passage under one item
    if name.endswith("2020-09-09_minutes.md"):
        gates = next(c for c in chunks if c.decision and "Gate design 1" in c.text)
        assert gates.meta.minute == "160/20" and gates.heading.startswith("160/20 To Approve Design")
        assert not any("161/20" in c.text and "160/20" in c.text for c in chunks)


@needs_shared
@pytest.mark.parametrize("name,date", [("lgsf_decisions_modgov_decision_detail.html", "2015-10-19"),
                                       ("lgsf_decisions_modgov_decision_multi_paragraph.html", "2021-07-27")])
def test_moderngov_decision_pages_are_decisions_dated_when_decided(name, date):
    doc = _document(SHARED / "dev" / "moderngov" / name)
    assert (doc.meta.kind, doc.meta.meeting_date) == ("decision", date)
    decisions = [c.decision for c in chunk_document(doc) if c.decision]
    assert len(decisions) == 1 and decisions[0].text.startswith("Decision:")


def test_us_legislation_passed_on_a_roll_call_is_a_decision_and_referred_legislation_is_not():
    text = ("Res. No. 80-17. By Council Member Zone. An emergency resolution withdrawing objection to a liquor "
            "permit. Be it resolved by the Council of the City of Cleveland: Section 1. That objection be withdrawn. "
            "Motion to suspend rules. The rules were suspended. Yeas 16. Nays 0. Read second time. Read third time "
            "in full. Adopted. Yeas 16. Nays 0. Res. No. 81-17. By Council Member Dow. An emergency resolution "
            "declaring March as Problem Gambling Awareness Month. Referred to Committee on Finance.")
    (decision,) = _decisions(text)
    assert decision.text.startswith("Res. No. 80-17.") and decision.text.endswith("Adopted. Yeas 16. Nays 0.")
    assert decision.effect == "approved" and decision.votes == "adopted: yeas 16, nays 0"


@needs_shared
def test_inspection_reports_report_decisions_but_take_none():
    doc = _document(SHARED / "dev" / "ofsted" / "ofsted_reinspection_surrey_2018-05-16.pdf")
    assert any("it was decided not to" in page.text for page in doc.pages)
    assert not [c for c in chunk_document(doc) if c.decision]
