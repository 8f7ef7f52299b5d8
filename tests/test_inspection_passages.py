"""A question about a council's inspections finds the report passages it asks for by the reports' structure:
the newest report's cover for "when did Ofsted last inspect … who led it", each named year's headline verdict
for "how has the judgement moved", the improvement points for "what areas for improvement"."""
from pathlib import Path

import pytest
from conftest import FakeModel

from assistant.inspection_passages import Report, in_order, key_passages, parts_asked
from assistant.query import QueryHints, analyse
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.embed import DEFAULT_MODEL, Embedder
from ingest.filters import Filters
from ingest.records import Chunk, RecordMeta

WESTBURY = ("Westbury County Council",)


def _hints(question: str) -> QueryHints:
    return analyse(question, set(WESTBURY))


@pytest.mark.parametrize("question,parts", [
    ("When did Ofsted last inspect Westbury County Council's children's services, and who led the inspection?",
     ("cover",)),
    ("How has Ofsted's overall judgement of Westbury County Council moved across its 2018 and 2024 inspections?",
     ("verdict",)),
    ("What areas for improvement did Ofsted give Westbury County Council in 2024?", ("improvements",)),
    # A grade is not a question about improvement points.
    ("Was Westbury County Council's Ofsted rating requires improvement to be good in 2018?", ("verdict",)),
    # Not about inspections, or no council named: nothing is looked up.
    ("When did Westbury County Council's cabinet meet?", ()),
    ("When did Ofsted last inspect children's services?", ()),
])
def test_what_a_question_asks_of_an_inspection(question, parts):
    assert parts_asked(question, _hints(question)) == parts


def test_named_years_first_then_newest():
    reports = [Report("a", "2018-03-02"), Report("b", "2024-05-10"), Report("c", "2021-11-19"), Report("d", "")]
    assert [r.doc_id for r in in_order(reports, ())] == ["b", "c", "a", "d"]
    assert [r.doc_id for r in in_order(reports, (2018, 2021))] == ["c", "a", "b", "d"]


def _chunk(n: int, text: str, page: int = 1) -> Chunk:
    return Chunk(f"r:p{page}:{n}", "r", "r.pdf", page, n, n + len(text), None, text, RecordMeta())


def test_the_first_passage_in_the_report_that_gives_each_part():
    chunks = [_chunk(900, "What needs to improve?\n\n• Pathway plans for care leavers.", page=2),
              _chunk(0, "Inspection of Westbury County Council children’s services\n\nInspection dates: 4 to 8 March 2024"),
              _chunk(400, "Judgement Grade\n\nOverall effectiveness Good"),
              _chunk(100, "Since the last inspection, services for children in Westbury are now good.", page=3)]
    found = key_passages(chunks, ("verdict", "cover", "improvements"))
    assert [c.chunk_id for c in found] == ["r:p1:400", "r:p1:0", "r:p2:900"]


FILLER = ("Inspectors looked at the inspection evidence of children's services in Westbury, at case files and at "
          "the work of social workers with families and children. ") * 12


def _report(year: int, inspector: str, verdict: str, points: str) -> str:
    # Each report's own words: two reports' passages that differed only in their headings would be one
    # passage reprinted (retrieval.collapse_duplicates).
    filler = FILLER.replace("Inspectors looked", f"In {year} inspectors looked")
    return (f"Inspection of Westbury County Council local authority children’s services\n\n"
            f"Inspection dates: 4 to 8 March {year}\n\nLead inspector: {inspector}, His Majesty’s Inspector\n\n"
            f"{filler}\n\nJudgement Grade\n\nOverall effectiveness {verdict}\n\n{filler}\n\n"
            f"What needs to improve?\n\n• {points}\n\n{filler}\n\n"
            f"Any complaints about the inspection or the report should be made following the procedures.\n\n"
            f"{filler}\n\n")


@pytest.fixture(scope="module")
def assistant(tmp_path_factory) -> Assistant:
    folder = tmp_path_factory.mktemp("reports")
    (folder / "westbury_ofsted_2018.txt").write_text(
        _report(2018, "Ann Black", "Requires improvement to be good", "The timeliness of assessments."))
    (folder / "westbury_ofsted_2024.txt").write_text(
        _report(2024, "Sam Green", "Good", "The quality of pathway plans for care leavers."))
    (folder / "westbury_cabinet_2024-06-01_minutes.txt").write_text(
        "Westbury County Council\n\nCabinet\n\nMinutes of the meeting held on 1 June 2024\n\n"
        "1. Ofsted inspection\n\nMembers discussed the Ofsted inspection of children's services and who led it. "
        + FILLER)
    store = tmp_path_factory.mktemp("store") / "store"
    assistant = Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel))
    report = assistant.ingest([folder])
    assert not report.failed, [o.line() for o in report.failed]
    return assistant


def test_the_last_inspection_is_the_newest_reports_cover(assistant):
    hits = assistant.retriever.search(
        "When did Ofsted last inspect Westbury County Council's children's services, and who led the inspection?", 5)
    assert "Lead inspector: Sam Green" in hits[0].chunk.text


def test_each_named_years_verdict_is_found(assistant):
    hits = assistant.retriever.search(
        "How has Ofsted's overall judgement of Westbury County Council moved across its 2018 and 2024 inspections?", 5)
    # "Overall effectiveness Good" stands alone, so the chunker reads it as the heading of what follows.
    verdicts = [said for h in hits[:3] if "Overall effectiveness" in (said := f"{h.chunk.heading} {h.chunk.text}")]
    assert any("Requires improvement" in t for t in verdicts) and any("Overall effectiveness Good" in t for t in verdicts)


def test_filters_still_hold(assistant):
    hits = assistant.retriever.search(
        "When did Ofsted last inspect Westbury County Council's children's services, and who led the inspection?", 10,
        filters=Filters(until="2019-12-31"))
    assert hits and all(h.chunk.meta.meeting_date < "2019" for h in hits)
    assert "Lead inspector: Ann Black" in hits[0].chunk.text
