"""Clerk's web front end: the password gate, then the pages (pages_app/). All logic lives in the packages."""
from __future__ import annotations

import hmac
import math

import streamlit as st

from assistant import sign_in
from assistant.present import VIEW_CSS
from assistant.settings import Settings

st.set_page_config(page_title="Clerk", page_icon="🏛️", layout="wide")

password = Settings.from_env().app_password
if password and not st.session_state.get("signed_in"):
    # Nothing else is drawn, nor the store opened, until the shared password is given.
    st.title("Clerk")
    with st.form("sign-in"):
        given = st.text_input("Password", type="password")
        if st.form_submit_button("Sign in"):
            address = st.context.ip_address  # None on localhost: then the session alone counts
            failures = st.session_state.get("sign_in_failures", sign_in.Failures())
            wait = sign_in.wait_left(failures, address)
            if wait:  # refused unread, whatever was typed
                st.error(f"Too many wrong passwords: try again in {math.ceil(wait)} s.")
            elif hmac.compare_digest(given.encode("utf-8"), password.encode("utf-8")):
                sign_in.right(address)
                st.session_state.signed_in = True
                st.rerun()
            else:
                failures = st.session_state.sign_in_failures = sign_in.wrong(failures, address)
                wait = sign_in.wait_left(failures, address)
                st.error("That password is not right." + (f" Try again in {math.ceil(wait)} s." if wait else ""))
    st.stop()

st.html(VIEW_CSS)  # every page's captions; the Ask page's answer and sources
st.navigation([
    st.Page("pages_app/ask.py", title="Ask", icon=":material/forum:", default=True),
    st.Page("pages_app/library.py", title="Library", icon=":material/folder_open:"),
    st.Page("pages_app/decisions.py", title="Decisions", icon=":material/gavel:"),
    st.Page("pages_app/inspections.py", title="Inspections", icon=":material/fact_check:"),
    st.Page("pages_app/watches.py", title="Watches", icon=":material/notifications:"),
]).run()
