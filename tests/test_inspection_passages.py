"""A question about a council's inspections finds the report passages it asks for by the reports' structure:
the newest report's cover for "when did Ofsted last inspect … who led it", each named year's headline verdict
for "how has the judgement moved", the improvement points for "what areas for improvement"."""

import pytest

from assistant.inspection_passages import Report, gives_part, in_order, key_passages, parts_asked
from assistant.query import QueryHints, analyse
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
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
    ("What did Ofsted say Westbury County Council needs to improve?", ("improvements",)),
    # How much a service needed to improve, or a grade, is no question about the list of improvement points.
    ("Were Westbury County Council's leaders aware of how much their services needed to improve before Ofsted came?",
     ()),
    ("Was Westbury County Council's Ofsted rating requires improvement to be good in 2018?", ("verdict",)),
    # An inspection not yet held: no report's dates answer it.
    ("When is Ofsted's next full inspection of Westbury County Council's children's services due?", ()),
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


def test_the_passages_of_a_report_that_give_each_part():
    report = Report("r", "2024-03-08", "Westbury County Council",
                    ("Pathway plans for care leavers.", "The timeliness of assessments of children in need."))
    chunks = [_chunk(900, "What needs to improve?\n\n• Pathway plans for care leavers.", page=2),
              _chunk(0, "Inspection of Westbury County Council children’s services\n\nInspection dates: 4 to 8 March 2024"),
              _chunk(400, "Judgement Grade\n\nOverall effectiveness Good"),
              _chunk(100, "Since the last inspection, services for children in Westbury are now good.", page=3),
              # The list runs on into the next passage.
              _chunk(0, "• The timeliness of assessments of children in need.\n\nThe experiences of children", page=3)]
    found = key_passages(chunks, ("verdict", "cover", "improvements"), report)
    assert [c.chunk_id for c in found] == ["r:p1:400", "r:p1:0", "r:p2:900", "r:p3:0"]


@pytest.mark.parametrize("sentence,parts,gives", [
    ("Inspection dates: 4 to 8 March 2024", ("cover",), True),
    ("Lead inspector: Sam Green, His Majesty’s Inspector", ("cover",), True),
    ("Inspection dates: 4 to 8 March 2024", ("verdict",), False),
    ("Children’s services in Westbury requires improvement to be good", ("verdict",), True),
    ("Pathway plans for care leavers.", ("improvements",), True),
    ("• The timeliness of assessments", ("improvements",), True),  # a point cut in two by the sentence splitter
    ("Social workers know their children well.", ("improvements",), False),
])
def test_the_lines_that_give_a_part(sentence, parts, gives):
    report = Report("r", "2024-03-08", "Westbury County Council",
                    ("Pathway plans for care leavers.", "The timeliness of assessments of children in need."))
    assert gives_part(sentence, parts, report) is gives


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


def test_the_answer_quotes_the_newest_reports_dates_and_inspector(assistant):
    from assistant.compose import compose

    draft = assistant.draft(
        "When did Ofsted last inspect Westbury County Council's children's services, and who led the inspection?")
    answer = compose(draft.question, draft.hits, draft.candidates, draft.relevance, answers=True, max_sentences=5)
    assert "Inspection dates: 4 to 8 March 2024" in answer.text and "Lead inspector: Sam Green" in answer.text
    assert "Ann Black" not in answer.text and "2018" not in answer.text  # the older report is not the last


def test_the_answer_quotes_the_improvement_points_asked_for(assistant):
    from assistant.compose import compose

    draft = assistant.draft("What areas for improvement did Ofsted give Westbury County Council in 2024?")
    answer = compose(draft.question, draft.hits, draft.candidates, draft.relevance, answers=True, max_sentences=5)
    assert answer.text.splitlines()[0].endswith("The quality of pathway plans for care leavers. [1]")


def test_a_grade_tables_row_is_one_sentence():
    from assistant.compose import candidate_sentences
    from ingest.records import Hit

    table = ("Judgement Grade\n\nThe experiences and progress of care leavers\n\nRequires improvement to be good\n\n"
             "Overall effectiveness\n\nGood")
    said = [c.text for c in candidate_sentences([Hit(_chunk(0, table), 1.0)])]
    assert said == ["The experiences and progress of care leavers Requires improvement to be good",
                    "Overall effectiveness Good"]
