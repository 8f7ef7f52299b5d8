"""Decisions: the precedent finder. Each decision as a readable item (it must read on a phone, where a wide
table hid the decision), the topic's words marked, with a CSV download of what is listed."""
from __future__ import annotations

from dataclasses import replace

import streamlit as st

from assistant.answers import DecisionEntry
from assistant.library_view import csv_bytes, decision_heading, decision_rows
from assistant.present import escape_markdown, marked_markdown
from assistant.service import QuestionError
from ingest.lexical import tokenize
from pages_app.common import download_original, filter_widgets, get_assistant, offer_download


def show_decision(entry: DecisionEntry, terms: set[str]) -> None:
    """One decision: where and when, what it did and the vote, its whole text, and its record."""
    c = entry.citation
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(decision_heading(c))}**")
        vote = f" · Vote: {escape_markdown(entry.votes)}" if entry.votes else ""
        st.markdown(f"Effect: **{escape_markdown(entry.effect)}**{vote}")
        st.markdown(marked_markdown(c.text, terms))
        download_original(c.source, c.page, key=f"decision-{c.chunk_id}")


def keep_topic_in_link() -> None:
    # The address bar holds the topic, so a link to this page searches it again.
    topic = st.session_state.get("decisions-topic", "").strip()
    if topic:
        st.query_params["topic"] = topic
    else:
        st.query_params.pop("topic", None)


def watch_topic(topic: str, filters) -> None:
    """A watch for new decisions about the topic, under the filters shown (the Watches page lists them)."""
    from assistant.watches import add

    watch, _ = add(assistant, None, topic, replace(filters, decisions_only=True))
    st.session_state["decisions-watched"] = (f"Watching for new decisions about “{topic}” (watch {watch.name}): "
                                             "see Watches.")


assistant = get_assistant()
st.title("Decisions")
st.caption("What committees resolved, verbatim, with where each decision is recorded. Procedural decisions "
           "(apologies, the last meeting's minutes) are left out.")

with st.sidebar:
    st.header("Filters")
    filters = filter_widgets(assistant, "decisions", decisions_toggle=False)

if "decisions-topic" not in st.session_state:  # a link's topic, once: after that the box is the user's
    st.session_state["decisions-topic"] = st.query_params.get("topic", "")
topic = st.text_input("Topic", placeholder="e.g. care leavers' council tax; empty lists the newest first",
                      key="decisions-topic", on_change=keep_topic_in_link).strip()
limit = st.number_input("At most", min_value=10, max_value=500, value=50, step=10, key="decisions-limit",
                        help="With a topic, how many of the best matches are read for the relevant ones")
try:
    found = assistant.decisions(topic or None, filters=filters, limit=int(limit))
except QuestionError as exc:
    st.error(f"Cannot search for that: {escape_markdown(str(exc))}.")
    st.stop()

effects = sorted({e.effect for e in found})
chosen = st.multiselect("What the decision did", effects, placeholder="Any (noted, approved, agreed…)",
                        key="decisions-effects")
found = [e for e in found if not chosen or e.effect in chosen]
relevant, weaker = [e for e in found if not e.weaker], [e for e in found if e.weaker]
if filters.active:
    st.caption("Filters: " + escape_markdown(filters.describe()))
if not found:
    st.info("No decisions match. Try another topic or fewer filters.")
    st.stop()

if topic:
    about = f"about “{escape_markdown(topic)}”"
    st.write(f"{len(relevant)} {'decision' if len(relevant) == 1 else 'decisions'} {about}, most relevant first."
             if relevant else f"No decision is clearly {about}.")
    st.button("Watch this topic", on_click=watch_topic, args=(topic, filters), key="decisions-watch",
              help="List new decisions about it on the Watches page as they arrive, with a feed")
    if "decisions-watched" in st.session_state:
        st.success(escape_markdown(st.session_state.pop("decisions-watched")))
else:
    st.write(f"{len(relevant)} decisions, newest first.")
show_weaker = bool(weaker) and st.toggle(f"Show {len(weaker)} weaker {'match' if len(weaker) == 1 else 'matches'}",
                                         key="decisions-weaker",
                                         help="Decisions found for the topic that say too little of it")
listed = relevant + (weaker if show_weaker else [])
if listed:  # the one download: what is listed, weaker matches only when shown
    offer_download("Download as CSV", lambda: csv_bytes(decision_rows(listed)), "clerk-decisions.csv", "text/csv",
                   key="decisions-csv")
terms = set(tokenize([topic])[0]) if topic else set()
for entry in relevant:
    show_decision(entry, terms)
if show_weaker:
    st.subheader("Weaker matches")
    for entry in weaker:
        show_decision(entry, terms)
