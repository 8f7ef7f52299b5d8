"""A question about a committee no record is of, or names, is not answered from its council's other records."""
import pytest

from assistant.query import bodies_named
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder


@pytest.mark.parametrize("question,bodies", [
    ("What did Rutland's Children and Young People Scrutiny Committee resolve in August 2020?",
     ("Children and Young People Scrutiny Committee",)),
    ("Did Kent's Corporate Parenting Panel agree to exempt care leavers from council tax?", ("Corporate Parenting Panel",)),
    ("Which Scrutiny Committee considered the call-in?", ("Scrutiny Committee",)),
    ("Who chairs the planning committee?", ()),  # in lower case: not a name to hold the records to
    ("What did Kent County Council's Cabinet decide?", ()),  # a council and its cabinet, not a body's full name
])
def test_the_bodies_a_question_names(question, bodies):
    assert bodies_named(question) == bodies


@pytest.fixture(scope="module")
def assistant(fake_store) -> Assistant:
    return Assistant.open(Settings(store=fake_store), Embedder(DEFAULT_MODEL, 384, FakeModel))


def test_a_body_the_records_are_of_is_held(assistant):
    assert assistant.bodies_not_held("What did Eastbridge's Corporate Parenting Panel note in 2024?") == ()


def test_a_body_no_record_names_is_not_held_and_the_answer_says_so(assistant):
    question = "What did Eastbridge's Fostering and Adoption Panel resolve in 2024?"
    assert assistant.bodies_not_held(question) == ("Fostering and Adoption Panel",)
    answer = assistant.ask(question)
    assert answer.abstained and answer.abstention_reason == "no_records_for_body"
    assert "Fostering and Adoption Panel" in answer.text
