"""Scoring answers against a question set: pure logic over hand-made answers."""
import json

from assistant.answers import Answer, Citation
from assistant.evaluate import Question, summarise


def _citation(n: int, text: str, cited: bool, source: str = "/records/minutes.txt") -> Citation:
    return Citation(n, source, 1, f"c{n}", text, 1.0, None, None, None, None, None, cited=cited)


def test_summary_counts_recall_abstention_and_whether_the_quoted_passages_hold_the_evidence():
    evidence = "The panel agreed the Local Offer."
    asked = [Question("q1", "What was agreed?", "fact", "records/minutes.txt", evidence),
             Question("q2", "What else was agreed?", "fact", "records/minutes.txt", evidence),
             Question("q3", "Who won the cup?", "unanswerable", None, None),
             Question("q4", "Compare them.", "cross-council", "a.txt", "Alpha said yes.",
                      docs=("a.txt", "b.txt"), evidences=("Alpha said yes.", "Beta said no."))]
    answers = [
        Answer("q1", "…", False, (_citation(1, f"Minutes. {evidence}", cited=True),)),
        # the evidence is listed, but the answer quotes another passage
        Answer("q2", "…", False, (_citation(1, "Other words.", cited=True), _citation(2, evidence, cited=False))),
        Answer("q3", "The records I have do not answer this question.", True, ()),
        Answer("q4", "…", False, (_citation(1, "Alpha said yes.", True, "/r/a.txt"), _citation(2, "Gamma.", True, "/r/b.txt"))),
    ]
    summary = summarise([(q, a, 0.1) for q, a in zip(asked, answers)])
    assert summary["recall@1"] == round(2 / 3, 3) and summary["recall@5"] == 1.0
    assert summary["mrr@10"] == round((1 + 1 / 2 + 1) / 3, 3)
    assert summary["answered_when_answerable"] == 1.0 and summary["abstained_when_unanswerable"] == 1.0
    assert summary["evidence_cited"] == round(2 / 3, 3)
    assert summary["by_kind"]["cross-council"] == {"n": 1, "recall@5": 1.0, "evidence@5": 0.5}


def test_a_history_given_as_a_string_is_one_earlier_question(tmp_path):
    from assistant.cli import _read_history
    from assistant.evaluate import load_questions
    from assistant.service import standalone_query

    earlier = "What was agreed about care leavers?"
    questions = tmp_path / "questions.jsonl"
    questions.write_text("\n".join(json.dumps({"id": n, "question": "And when does it start?", "history": h})
                                   for n, h in enumerate([earlier, [earlier], None])), encoding="utf-8")
    assert [q.history for q in load_questions(questions)] == [(earlier,), (earlier,), ()]
    assert standalone_query("And when does it start?", earlier) == f"{earlier} And when does it start?"
    for content in (json.dumps(earlier), json.dumps([earlier]), earlier + "\n"):
        (tmp_path / "history.json").write_text(content, encoding="utf-8")
        assert _read_history(str(tmp_path / "history.json")) == [earlier]
