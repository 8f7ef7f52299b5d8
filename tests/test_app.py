"""The Streamlit app, run in process by AppTest over a real store and the real model."""
import pytest
from streamlit.testing.v1 import AppTest

from conftest import ROOT


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app(demo_store, monkeypatch, embedder):
    monkeypatch.setenv("CLERK_STORE", str(demo_store))
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


def test_question_gets_a_cited_answer(app):
    app.run()
    assert not app.exception
    app.chat_input[0].set_value("What was resolved about care leavers?").run()
    assert not app.exception
    import re

    answer = app.chat_message[1].markdown[0].value
    markers = {int(n) for n in re.findall(r"\*\*\[(\d+)\]\*\*", answer)}
    assert markers
    cards = {int(re.match(r"\[(\d+)\]", e.label).group(1)): e for e in app.expander}
    assert markers <= set(cards)  # every marker has its source card
    for n in markers:  # whose supporting sentence is shown in bold
        assert "**" in cards[n].markdown[0].value
    assert any("care leaver" in cards[n].markdown[0].value.lower() for n in markers)


def test_empty_store_and_bad_question_are_explained(app):
    app.run()
    app.chat_input[0].set_value("x" * 50_000).run()
    assert not app.exception
    assert "limit is 2,000" in app.error[0].value
