"""The app's Watches page and the Decisions page's "Watch this topic", run in process by AppTest over a copy of
the demo store and the real model."""
import shutil

import pytest
from streamlit.testing.v1 import AppTest

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.watches import WatchFile
from conftest import ROOT

WATCHES, DECISIONS = "pages_app/watches.py", "pages_app/decisions.py"
NEW = ("Little Ashby Parish Council\nMinutes of the meeting of the Parish Council held on 14 October 2024\n\n"
       "24/101 Church Meadow play area. The play area gate <script>alert('x')</script> was repaired by Kestrel Play "
       "and the play area reopened for the half-term holiday.\n")


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app(demo_store, tmp_path, monkeypatch, embedder):
    store = tmp_path / "store"
    shutil.copytree(demo_store, store)
    monkeypatch.setenv("CLERK_STORE", str(store))
    for name in ("CLERK_APP_PASSWORD", "CLERK_SMTP_HOST"):
        monkeypatch.delenv(name, raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.store = store
    return at


def said(at) -> list[str]:
    """What the page said, its Markdown escapes taken out."""
    return [m.value.replace("\\", "") for m in [*at.success, *at.error, *at.info]]


def test_a_watch_made_in_the_app_lists_what_arrives_after_it(app, tmp_path, embedder):
    app.run()
    app.switch_page(WATCHES).run()
    assert not app.exception and any("No watches yet" in s for s in said(app))

    app.text_input[0].set_value("play")
    app.text_input[1].set_value("play area")
    next(b for b in app.button if b.label == "Add the watch").click().run()
    assert not app.exception
    assert any(s.startswith("Watching “play area”:") and "already in the library match" in s for s in said(app))
    assert "Nothing new yet." in [m.value for m in app.markdown]

    record = tmp_path / "new" / "little-ashby-pc_2024-10-14_minutes.txt"
    record.parent.mkdir()
    record.write_text(NEW, encoding="utf-8")
    assert not Assistant.open(Settings(store=app.store), embedder=embedder).ingest([record.parent]).failed
    next(b for b in app.button if b.label == "Check now").click().run()
    assert not app.exception
    matches = WatchFile.load(app.store).watches["play"].matches
    assert matches and {m["source"] for m in matches} == {str(record.resolve())}
    assert f"{len(matches)} new {'passage' if len(matches) == 1 else 'passages'}." in said(app)
    shown = " ".join(m.value for m in app.markdown)
    assert "14 October 2024 · Little Ashby Parish Council" in shown
    assert "\\<script\\>" in shown and "<script>" not in shown  # record text escaped, never HTML

    next(b for b in app.button if b.label == "Remove").click().run()
    assert not app.exception and WatchFile.load(app.store).watches == {}
    assert not (app.store / "feeds" / "play.xml").exists()


def test_watch_this_topic_from_the_decisions_page(app):
    app.run()
    app.switch_page(DECISIONS).run()
    app.text_input(key="decisions-topic").set_value("care leavers").run()
    app.button(key="decisions-watch").click().run()
    assert not app.exception
    watch = WatchFile.load(app.store).watches["care-leavers"]
    assert watch.query == "care leavers" and watch.filters["decisions_only"]
    assert any("Watching for new decisions about “care leavers” (watch care-leavers)" in s for s in said(app))
    app.button(key="decisions-watch").click().run()  # again: a second watch, not an error
    assert sorted(WatchFile.load(app.store).watches) == ["care-leavers", "care-leavers-2"]


def test_watch_this_question_from_an_answer(app):
    app.run()
    app.chat_input[0].set_value("What was resolved about the play area?").run()
    assert not app.exception
    next(b for b in app.button if b.label == "Watch this question").click().run()
    assert not app.exception
    watches = WatchFile.load(app.store).watches
    assert [w.query for w in watches.values()] == ["What was resolved about the play area?"]
    assert any(s.startswith("Watching for records about “What was resolved about the play area?”") for s in said(app))
