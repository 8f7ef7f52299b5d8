"""Inspections linked to the meetings since: the council's records in the window after each inspection that
discuss it, its plan or one of its points, each link with the sentence that makes it."""
import json
import re

import pytest

from assistant.cli import main
from assistant.inspection_links import RecordFacts, Window, links, record_facts, window
from assistant.inspection_view import comparison_rows, grade_rows, inspection_timeline, link_line, with_links
from conftest import SHARED, FakeModel, needs_shared
from ingest.records import Chunk, Hit, RecordMeta

RUTLAND, ROTHERHAM = "Rutland County Council", "Rotherham Metropolitan Borough Council"
INSPECTION = {"source": "ofsted_rutland.pdf", "council": RUTLAND, "first_day": "2020-03-02", "last_day": "2020-03-13",
              "overall": "requires improvement to be good",
              "improvements": ["The timeliness of foster carer annual reviews.", "Early permanence planning for children."]}


def chunk(doc_id, text, council=None, date=None, kind="minutes"):
    return Chunk(f"{doc_id}:p1:0", doc_id, f"/records/{doc_id}.txt", 1, 0, len(text), None, text,
                 RecordMeta(council=council, meeting_date=date, kind=kind))


def test_the_window_runs_to_the_day_before_the_next_inspection_or_for_three_years():
    later = {"first_day": "2024-04-15", "last_day": "2024-04-26"}
    assert window(INSPECTION, [INSPECTION, later]) == Window("2020-03-13", "2024-04-14")
    assert window(later, [INSPECTION, later]) == Window("2024-04-26", "2027-04-26")
    assert window({"first_day": None, "last_day": None}, []) is None


def test_an_undated_record_is_placed_by_the_years_it_names_most():
    facts = record_facts([chunk("a", "Report No.101/2020 on the Ofsted improvement plan, written in 2020; "
                                     "next review in 2023. Rutland's foster carers."),
                          chunk("a", "Signs of Safety was adopted by Rutland in 2020.")])
    assert facts == RecordFacts((RUTLAND,), frozenset({2020}), True)


def test_links_keep_the_council_s_records_in_the_window_that_name_ofsted_newest_first():
    ofsted = "The committee received the Ofsted improvement plan."
    reviews = "Foster carer annual reviews were now timely: 96% were held on time."
    hits = {
        "dated": chunk("dated", f"{ofsted} {reviews}", RUTLAND, "2021-06-01"),
        "older": chunk("older", f"{ofsted} {reviews}", RUTLAND, "2020-09-01"),
        "undated": chunk("undated", f"{ofsted} {reviews}"),  # names Rutland and 2020 elsewhere in its record
        "before": chunk("before", f"{ofsted} {reviews}", RUTLAND, "2019-12-01"),  # before the inspection
        "other": chunk("other", f"{ofsted} {reviews}", ROTHERHAM, "2021-06-01"),  # another council's
        "silent": chunk("silent", reviews, RUTLAND, "2021-07-01"),  # its record never names Ofsted
        "report": chunk("report", f"{ofsted} {reviews}", RUTLAND, "2021-06-01", kind="inspection_report"),
        "permanent": chunk("permanent", "A permanent team.", RUTLAND, "2021-06-01"),  # one word of point 2
    }
    records = {doc_id: record_facts([c]) for doc_id, c in hits.items()}
    records["undated"] = RecordFacts((RUTLAND,), frozenset({2020}), True)
    records["permanent"] = RecordFacts((RUTLAND,), frozenset({2021}), True)  # Ofsted named in another passage
    found = [(None, [Hit(c, 1.0) for c in hits.values()]), (1, [Hit(c, 1.0) for c in hits.values()]),
             (2, [Hit(c, 1.0) for c in hits.values()])]
    idf = {"timeli": 2.0, "foster": 2.0, "carer": 1.5, "annual": 1.0, "review": 1.0, "earli": 2.0, "perman": 2.0}
    made = links(INSPECTION, RUTLAND, Window("2020-03-13", "2023-03-13"), found, records, idf)
    assert [(link.point, link.citation.chunk_id.split(":")[0], link.dated) for link in made] == [
        (None, "dated", True), (None, "older", True), (None, "undated", False),
        (1, "dated", True), (1, "older", True), (1, "undated", False)]
    assert made[0].citation.supporting == ofsted  # the sentence naming the inspection
    assert made[3].citation.supporting == reviews  # the sentence speaking to the point
    line = link_line(made[-1].to_json())
    assert line.startswith("undated · council not stated · p. 1 — undated.txt: “Foster carer annual reviews")


def test_councils_side_by_side_and_grades_on_an_ordered_scale():
    timeline = [{"council": "Slough Borough Council", "inspections": [
        {"last_day": "2023-02-03", "overall": "requires improvement to be good"},
        {"last_day": "2019-03-08", "overall": "inadequate"}, {"last_day": "2018-01-10", "overall": None}]}]
    assert comparison_rows(timeline) == [{"council": "Slough Borough Council", "first": "no overall grade (2018-01)",
                                          "latest": "requires improvement to be good (2023-02)", "years between": 5.1,
                                          "change": "—", "inspections": 3}]
    timeline[0]["inspections"].pop()
    assert comparison_rows(timeline)[0] | {"council": None} == {
        "council": None, "first": "inadequate (2019-03)", "latest": "requires improvement to be good (2023-02)",
        "years between": 3.9, "change": "up", "inspections": 2}
    assert [(r["date"], r["rank"]) for r in grade_rows(timeline)] == [("2023-02-03", 1), ("2019-03-08", 0)]


def test_clerk_inspections_shows_the_meetings_since_under_the_visit_and_its_points(fake_store, capsys):
    assert main(["inspections", "--store", str(fake_store)]) == 0
    out = capsys.readouterr().out
    visit, points = out.split("      1. ", 1)
    # Under the visit, newest first: the panel on progress since, then the committee that endorsed the plan.
    assert re.search(r"↳ 2024-09-10 · Eastbridge County Council · Corporate Parenting Panel .*“Care leavers: progress "
                     r"since the Ofsted focused visit”\n.*↳ 2024-06-18 · Eastbridge County Council · Children and Young "
                     r"People's Scrutiny Committee .*“RESOLVED - to note the outcome of the Ofsted focused visit", visit)
    third = points.split("      3. ", 1)[1].split("      4. ", 1)[0]
    assert "↳ 2024-06-18" in third and "care leavers' mental health" in third
    assert "Northmoor" not in out and "Little Ashby" not in out
    assert main(["inspections", "--store", str(fake_store), "--json"]) == 0
    (council,) = json.loads(capsys.readouterr().out)["councils"]
    found = council["inspections"][0]["links"]
    assert {(link["point"], link["meeting_date"]) for link in found} >= {(None, "2024-06-18"), (3, "2024-06-18")}
    assert all(link["quote"] in link["text"] and link["council"] == "Eastbridge County Council" for link in found)
    assert main(["inspections", "--store", str(fake_store), "--no-links"]) == 0
    assert "↳" not in capsys.readouterr().out


@pytest.fixture(scope="module")
def seeds_and_reports(tmp_path_factory):
    """The five seed records and Rotherham's and Rutland's Ofsted reports (2022 and 2025, 2020 and 2024). Links
    are found lexically, so the passages' vectors play no part: the hash embedder keeps this fast."""
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.embed import DEFAULT_MODEL, Embedder

    reports = [SHARED / "dev2" / "records" / f"ofsted_ilacs_{name}.pdf" for name in
               ("rotherham_2022-08-12", "rotherham_2025-12-16", "rutland_2020-04-15", "rutland_2024-07-12")]
    assistant = Assistant.open(Settings(store=tmp_path_factory.mktemp("links") / "store"),
                               Embedder(DEFAULT_MODEL, 384, FakeModel))
    assert not assistant.ingest([SHARED / "seeds", *reports]).failed
    timeline = inspection_timeline(assistant.library.manifest.documents, None)
    return {i["source"].rsplit("/", 1)[-1]: i for c in with_links(timeline, assistant.inspection_links(timeline))
            for i in c["inspections"]}


def linked_records(inspection, point="any"):
    return {link["source"].rsplit("/", 1)[-1] for link in inspection["links"] if point == "any" or link["point"] == point}


@needs_shared
def test_rotherham_s_2022_inspection_links_to_the_meeting_that_noted_its_draft_action_plan(seeds_and_reports):
    rotherham = seeds_and_reports["ofsted_ilacs_rotherham_2022-08-12.pdf"]
    assert linked_records(rotherham) == {"001_30f43319ed282e88.txt"}  # none of Rutland's, Slough's or BCP's
    (noted,) = [link for link in rotherham["links"] if link["point"] is None]
    assert noted["quote"] == "Noted the outcome of inspection and note the draft action plan."
    assert not noted["dated"]  # the item page gives no date: placed by the year it names (2023)
    # Each of the four points is one the meeting went through, quoted as the report words it.
    assert [link["point"] for link in rotherham["links"] if link["point"]] == [1, 2, 3, 4]
    assert "pathway plans" in rotherham["links"][3]["quote"]
    assert linked_records(seeds_and_reports["ofsted_ilacs_rotherham_2025-12-16.pdf"]) == set()


@needs_shared
def test_rutland_s_2020_inspection_links_to_the_meeting_on_its_improvement_plan(seeds_and_reports):
    rutland = seeds_and_reports["ofsted_ilacs_rutland_2020-04-15.pdf"]
    assert linked_records(rutland) == {"000_ede271a41d0e0c0d.txt"}
    assert "Ofsted were satisfied with the improvement plan" in next(
        link["quote"] for link in rutland["links"] if link["point"] is None)
    # The 2024 inspection comes after that meeting, which names 2020 most: it is not linked.
    assert linked_records(seeds_and_reports["ofsted_ilacs_rutland_2024-07-12.pdf"]) == set()
