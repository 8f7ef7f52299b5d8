"""Clerk's web front end: a chat over the ingested records. All logic lives in the packages."""
from __future__ import annotations

import streamlit as st

from assistant.answers import Answer
from assistant.present import (answer_markdown, citation_heading, citation_markdown, citation_sections,
                               escape_markdown, text_markdown)
from assistant.service import Assistant, QuestionError
from assistant.settings import Settings

st.set_page_config(page_title="Clerk", page_icon="🏛️", layout="centered")


@st.cache_resource(show_spinner="Loading the embedding model and the store…")
def get_assistant() -> Assistant:
    return Assistant.open(Settings.from_env())


def stream_answer(stream) -> Answer:
    """Checked sentences appear as the language model writes them; the final answer replaces them."""
    preview, written = st.empty(), ""
    with st.spinner("Searching the records…"):
        for piece in stream:  # str pieces, then the Answer last
            if isinstance(piece, Answer):
                break
            written += piece
            preview.markdown(text_markdown(written))
    preview.empty()
    return piece


def show_answer(answer: Answer) -> None:
    if answer.standalone_question:
        st.caption("Searched for: " + escape_markdown(answer.standalone_question))
    if answer.notice:
        st.info(escape_markdown(answer.notice))
    st.markdown(answer_markdown(answer))
    if answer.composer == "llm":
        st.caption("Written by the language model from the passages below; each sentence was checked against "
                   "the passage it cites.")
    for title, citations in citation_sections(answer):
        st.markdown(f"**{title}**")
        for citation in citations:
            with st.expander(citation_heading(citation), expanded=False):
                st.markdown(citation_markdown(citation))


st.title("Clerk")
st.caption("Ask about council and committee records. Every claim points to the passage it came from.")

if "turns" not in st.session_state:
    st.session_state.turns = []  # [(question, Answer | error text)]

with st.sidebar:
    if st.button("New conversation"):
        st.session_state.turns = []

for question, reply in st.session_state.turns:
    with st.chat_message("user"):
        st.text(question)
    with st.chat_message("assistant"):
        if isinstance(reply, Answer):
            show_answer(reply)
        else:
            st.error(reply)

question = st.chat_input("Ask a question, e.g. what was resolved about care leavers?")
if question:
    with st.chat_message("user"):
        st.text(question)
    history = [q for q, reply in st.session_state.turns if isinstance(reply, Answer)]
    with st.chat_message("assistant"):
        try:
            reply = stream_answer(get_assistant().ask_stream(question, history=history))
            show_answer(reply)
        except QuestionError as exc:
            reply = f"Cannot ask that: {exc}."
            st.error(reply)
    st.session_state.turns.append((question, reply))
