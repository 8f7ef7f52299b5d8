"""Ask: a chat whose answers cite their sources, with filters in the sidebar."""
from __future__ import annotations

import datetime as dt

import streamlit as st

from assistant.abstention_reason import EMPTY_STORE, FILTERED_OUT, NO_RECORDS_FOR_COUNCIL
from assistant.answers import Answer
from assistant.export import conversation_markdown
from assistant.library_view import example_questions, library_summary
from assistant.links import answer_link, answer_params, linked_question
from assistant.present import (
    answer_html,
    citation_card_html,
    citation_sections,
    describe_filters,
    escape_markdown,
    text_markdown,
)
from assistant.service import Assistant, QuestionError
from pages_app.common import (
    clear_filters,
    download_original,
    filter_widgets,
    get_assistant,
    offer_download,
    set_filters,
)


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


def ask_without_filters(question: str) -> None:
    clear_filters("ask")
    st.session_state.ask_again = question


def ask(question: str) -> None:
    st.session_state.ask_again = question


def open_link(assistant: Assistant) -> None:
    """A permalink's question (?q=…&council=…), asked once when a session opens it, under its filters."""
    assistant.library.reload_manifest()
    linked = linked_question({key: st.query_params.get_all(key) for key in st.query_params},
                             assistant.library.lexical().facets)
    if linked:
        set_filters("ask", linked.filters)
        st.session_state.ask_again = linked.question
        if linked.dropped:
            st.session_state.link_notice = ("Some of the link's filters do not fit this library, so it was asked "
                                            "without them: " + "; ".join(linked.dropped) + ".")


def show_library(assistant: Assistant) -> None:
    """Before the first question: what the library holds, and three questions drawn from it, a click away."""
    assistant.library.reload_manifest()
    documents = assistant.library.manifest.documents
    if not documents:
        st.info("The library is empty: add records before asking.")
        st.page_link("pages_app/library.py", label="Add records on the Library page", icon=":material/folder_open:")
        return
    st.markdown(f"The library holds **{escape_markdown(library_summary(documents))}**.")
    examples = example_questions(assistant.decisions(limit=200))
    if examples:
        st.markdown("Try one of these, drawn from its decisions:")
    for n, example in enumerate(examples):
        st.button(escape_markdown(example), key=f"example-{n}", on_click=ask, args=(example,),
                  icon=":material/chat:")


def render_answer(answer: Answer, turn: int) -> None:
    """One answer: its text with [n] chips, then a card per source. The one place an answer is drawn."""
    if answer.standalone_question:
        st.caption("Searched for: " + escape_markdown(answer.standalone_question))
    if answer.filters:
        st.caption("Filters: " + escape_markdown(describe_filters(answer.filters)))
    if answer.notice:
        st.info(escape_markdown(answer.notice))
    st.html(answer_html(answer, turn))
    # Relative to this page: the link asks the question again, under the same filters, in a new session.
    st.markdown(f"[Link to this question]({answer_link(answer)})")
    # The next step the abstention names, one click away.
    if answer.abstention_reason == FILTERED_OUT:
        st.button("Clear the filters and ask again", key=f"ask-again-{turn}", icon=":material/filter_alt_off:",
                  on_click=ask_without_filters, args=(answer.question,))
    elif answer.abstention_reason in (NO_RECORDS_FOR_COUNCIL, EMPTY_STORE):
        st.page_link("pages_app/library.py", label="Add records on the Library page", icon=":material/folder_open:")
    if answer.composer == "llm":
        st.caption("Written by the language model from the passages below; each sentence was checked against "
                   "the passage it cites.")
    for title, citations in citation_sections(answer):
        st.markdown(f"**{title}**")
        for citation in citations:
            with st.container(border=True):
                st.html(citation_card_html(citation, turn))
                download_original(citation.source, citation.page, key=f"download-{turn}-{citation.n}")


st.title("Ask the records")
st.caption("Every sentence of an answer is quoted from a record; its [n] links to the source below it.")

if "turns" not in st.session_state:
    st.session_state.turns = []  # [(question, Answer | error text)]
    open_link(get_assistant())  # before the filter widgets are drawn: it sets them

with st.sidebar:
    st.header("Filters")
    st.caption("They apply to the next question.")
    filters = filter_widgets(get_assistant(), "ask")
    if st.button("New conversation", icon=":material/restart_alt:"):
        st.session_state.turns = []
        st.query_params.clear()

if "link_notice" in st.session_state:
    st.warning(escape_markdown(st.session_state.pop("link_notice")))
# Read before the conversation is drawn, so the empty state is not drawn above a question being asked; the
# box stays pinned to the bottom of the page wherever it is called.
question = st.chat_input("Ask a question, e.g. what was resolved about care leavers?") \
    or st.session_state.pop("ask_again", None)
if not st.session_state.turns and not question:
    show_library(get_assistant())

for turn, (asked, reply) in enumerate(st.session_state.turns):
    with st.chat_message("user"):
        st.text(asked)
    with st.chat_message("assistant"):
        if isinstance(reply, Answer):
            render_answer(reply, turn)
        else:
            st.error(reply)

if question:
    turn = len(st.session_state.turns)
    with st.chat_message("user"):
        st.text(question)
    history = [q for q, reply in st.session_state.turns if isinstance(reply, Answer)]
    with st.chat_message("assistant"):
        try:
            reply = stream_answer(get_assistant().ask_stream(question, history=history, filters=filters))
            render_answer(reply, turn)
        except QuestionError as exc:
            reply = f"Cannot ask that: {exc}."
            st.error(reply)
    st.session_state.turns.append((question, reply))

answered = [reply for _, reply in st.session_state.turns if isinstance(reply, Answer)]
if answered:  # the address bar is the last question's permalink, also after a visit to another page
    st.query_params.from_dict(answer_params(answered[-1]))
if st.session_state.turns:
    turns = list(st.session_state.turns)
    with st.sidebar:
        offer_download("Export the conversation (Markdown)",  # dated when downloaded
                       lambda: conversation_markdown(turns, dt.datetime.now()).encode(), "clerk-conversation.md",
                       "text/markdown", key="export")
