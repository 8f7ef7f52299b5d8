"""The real seed records and questions (../shared/corpus), ingested with the real model."""
import pytest

from assistant.evaluate import first_hit_rank, load_questions
from conftest import SHARED, needs_shared

QUESTIONS = load_questions(SHARED / "questions.jsonl") if SHARED.is_dir() else []


@needs_shared
@pytest.mark.parametrize("question", [q for q in QUESTIONS if q.answerable], ids=lambda q: q.id)
def test_evidence_is_among_the_top_five_citations(seeds_assistant, question):
    answer = seeds_assistant.ask(question.question, history=question.history, k=5)
    rank = first_hit_rank(answer, question)
    assert rank is not None and rank <= 5, [c.text[:80] for c in answer.citations]


@needs_shared
@pytest.mark.parametrize("question", [q for q in QUESTIONS if not q.answerable], ids=lambda q: q.id)
def test_unanswerable_questions_abstain(seeds_assistant, question):
    answer = seeds_assistant.ask(question.question)
    assert answer.abstained
    assert answer.text.startswith("The records I have do not answer this question")
    assert "[" not in answer.text  # no claim, so no marker


@needs_shared
def test_answer_sentences_are_quoted_verbatim_from_their_sources(seeds_assistant):
    import re

    answer = seeds_assistant.ask("What was decided about feeding the young people's views back to the inspectorate?")
    assert not answer.abstained
    for line in answer.text.split("\n"):
        n = int(re.search(r"\[(\d+)\]$", line).group(1))
        sentence = line.rsplit(" [", 1)[0].split(": ", 1)[-1]
        assert sentence in answer.citations[n - 1].text
