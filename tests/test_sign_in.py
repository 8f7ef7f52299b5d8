"""Wrong passwords at the app's gate slowed down (assistant/sign_in.py), driven through the app by AppTest.
The clock is the test's own: delays pass by setting it, never by waiting."""
from __future__ import annotations

import pytest
import streamlit as st
from streamlit.testing.v1 import AppTest

from assistant import sign_in
from conftest import ROOT

PASSWORD = "correct horse"
WRONG = "That password is not right."


@pytest.fixture
def world(fake_store, fake_model, monkeypatch):
    """The app with a password over a store; the sign-in clock and the client's address set by the test."""
    monkeypatch.setenv("CLERK_STORE", str(fake_store))
    monkeypatch.setenv("CLERK_APP_PASSWORD", PASSWORD)
    monkeypatch.setattr(sign_in, "_by_address", {})
    state = {"now": 1000.0, "address": None}
    monkeypatch.setattr(sign_in, "clock", lambda: state["now"])
    monkeypatch.setattr(type(st.context), "ip_address", property(lambda _: state["address"]))
    st.cache_resource.clear()
    yield state
    st.cache_resource.clear()


def _session() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.run()
    return at


def _try(at: AppTest, password: str) -> list[str]:
    """The errors shown after signing in with `password`."""
    at.text_input[0].set_value(password)
    at.button[0].click().run()
    assert not at.exception
    return [e.value for e in at.error]


def test_after_three_wrong_passwords_tries_wait_a_doubling_delay_and_the_right_one_works_after_it(world):
    at = _session()
    assert _try(at, "one") == [WRONG]
    assert _try(at, "two") == [WRONG]
    assert _try(at, "three") == [f"{WRONG} Try again in 2 s."]

    world["now"] += 1.5  # within the delay even the right password is refused, and nothing is drawn
    assert _try(at, PASSWORD) == ["Too many wrong passwords: try again in 1 s."]
    assert not at.chat_input

    delays = []
    for _ in range(7):  # each wrong try after the wait doubles it, up to the cap
        world["now"] += sign_in.wait_left(at.session_state.sign_in_failures, None)
        delays.append(_try(at, "wrong again"))
    assert delays == [[f"{WRONG} Try again in {s} s."] for s in (4, 8, 16, 32, 60, 60, 60)]

    world["now"] += 59
    assert _try(at, PASSWORD) == ["Too many wrong passwords: try again in 1 s."]
    world["now"] += 1
    assert _try(at, PASSWORD) == [] and at.chat_input  # signed in: the Ask page is drawn


def test_a_new_session_from_the_same_address_does_not_start_afresh(world):
    world["address"] = "203.0.113.9"
    guesser = _session()
    for guess in ("one", "two", "three"):
        _try(guesser, guess)

    again = _session()  # a new browser session, same address
    assert _try(again, PASSWORD) == ["Too many wrong passwords: try again in 2 s."] and not again.chat_input

    world["address"] = "198.51.100.7"  # someone else is not held up by the guesser
    other = _session()
    assert _try(other, PASSWORD) == [] and other.chat_input

    world["address"] = "203.0.113.9"
    world["now"] += 2
    assert _try(again, PASSWORD) == [] and again.chat_input
    assert sign_in._by_address == {}  # the right password clears the address
