"""Ask: a chat whose answers cite their sources, with filters in the sidebar."""
from __future__ import annotations

import datetime as dt
from urllib.parse import urlencode

import streamlit as st

from assistant.abstention_reason import EMPTY_STORE, FILTERED_OUT, NO_RECORDS_FOR_BODY, NO_RECORDS_FOR_COUNCIL
from assistant.answers import Answer, DecisionEntry
from assistant.export import conversation_markdown
from assistant.library_view import (
    WHAT_WAS_DECIDED,
    decision_heading,
    decision_topic,
    example_questions,
    library_summary,
)
from assistant.links import answer_link, answer_params, linked_question
from assistant.present import (
    answer_html,
    by_document,
    citation_sections,
    describe_filters,
    document_html,
    escape_markdown,
    for_display,
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


def scroll_to_question(turn: int) -> None:
    """The question of turn `turn` to the top of the view, so its answer is read from its first line. Our own
    script, with no record text in it; Streamlit runs it once, when it is drawn."""
    st.html(f"""<script>(() => {{
      const question = document.getElementById("question-{turn}");
      question?.closest('[data-testid="stChatMessage"]')?.scrollIntoView({{block: "start"}});
    }})();</script>""", unsafe_allow_javascript=True)


# How many of the decisions a decision question finds are shown under its answer; the rest are a link away.
DECISIONS_SHOWN = 3


def decisions_asked_for(assistant: Assistant, question: str, filters) -> tuple[str, list[DecisionEntry]] | None:
    """For a "what was resolved / agreed / decided" question, its topic and the decisions the precedent finder
    holds relevant to it, under the same filters; None for any other question, or when none is relevant."""
    topic = decision_topic(question) if WHAT_WAS_DECIDED.search(question) else None
    if not topic:
        return None
    found = [entry for entry in assistant.decisions(topic, filters=filters, limit=20) if not entry.weaker]
    return (topic, found) if found else None


def show_decisions(topic: str, entries: list[DecisionEntry]) -> None:
    """The decisions on a decision question's topic: what each did and its vote, and the rest on the Decisions page."""
    st.markdown(f"**Decisions about “{escape_markdown(topic)}”**")
    for entry in entries[:DECISIONS_SHOWN]:
        vote = f" · vote: {escape_markdown(entry.votes)}" if entry.votes else ""
        st.markdown(f"- {escape_markdown(decision_heading(entry.citation))}  \n"
                    f"  **{escape_markdown(entry.effect.capitalize())}**{vote}")
    rest = f"all {len(entries)}" if len(entries) > DECISIONS_SHOWN else "each"
    st.markdown(f"[See {rest} in full on the Decisions page](decisions?{urlencode({'topic': topic})})")


def watch_question(turn: int, query: str, filters: dict | None) -> None:
    """A watch for records that newly answer the question, under the filters it was asked with."""
    from assistant.watches import add
    from ingest.filters import Filters

    watch, _ = add(get_assistant(), None, query, Filters.from_json(filters))
    st.session_state["ask-watched"] = (turn, f"Watching for records about “{query}” (watch {watch.name}): see Watches.")


def render_answer(answer: Answer, turn: int) -> None:
    """One answer: its text with [n] chips, then its sources, one line each, grouped by record and numbered in
    the order the text first cites them. The one place an answer is drawn."""
    answer = for_display(answer)
    if answer.standalone_question:
        st.caption("Searched for: " + escape_markdown(answer.standalone_question))
    if answer.filters:
        st.caption("Filters: " + escape_markdown(describe_filters(answer.filters)))
    if answer.notice:
        st.info(escape_markdown(answer.notice))
    st.html(answer_html(answer, turn))
    # Relative to this page: the link asks the question again, under the same filters, in a new session.
    st.markdown(f"[Link to this question]({answer_link(answer)})")
    st.button("Watch this question", key=f"watch-{turn}", icon=":material/notifications:", on_click=watch_question,
              args=(turn, answer.standalone_question or answer.question, answer.filters),
              help="List what newly answers it on the Watches page as records arrive, with a feed")
    if st.session_state.get("ask-watched", (None,))[0] == turn:
        st.success(escape_markdown(st.session_state["ask-watched"][1]))
    # The next step the abstention names, one click away.
    if answer.abstention_reason == FILTERED_OUT:
        st.button("Clear the filters and ask again", key=f"ask-again-{turn}", icon=":material/filter_alt_off:",
                  on_click=ask_without_filters, args=(answer.question,))
    elif answer.abstention_reason in (NO_RECORDS_FOR_COUNCIL, NO_RECORDS_FOR_BODY, EMPTY_STORE):
        st.page_link("pages_app/library.py", label="Add records on the Library page", icon=":material/folder_open:")
    found = st.session_state.get("turn_decisions", {}).get(turn)
    if found:
        show_decisions(*found)
    if answer.composer == "llm":
        st.caption("Written by the language model from the passages below; each sentence was checked against "
                   "the passage it cites.")
    for title, citations in citation_sections(answer):
        if title == "Sources":
            st.markdown(f"**{title}**")
            section = st.container()
        else:  # further reading and closest matches are there for whoever wants them, not in the way
            section = st.expander(f"{title} · {len(citations)}", expanded=False)
        with section:
            for document in by_document(citations):
                st.html(document_html(document, turn))
                pages = {c.page for c in document.citations}
                download_original(document.source, pages.pop() if len(pages) == 1 else None,
                                  key=f"download-{turn}-{document.citations[0].n}", compact=True)


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
        st.session_state.turns, st.session_state.turn_decisions = [], {}
        st.query_params.clear()

if "link_notice" in st.session_state:
    st.warning(escape_markdown(st.session_state.pop("link_notice")))
# Read before the conversation is drawn, so the empty state is not drawn above a question being asked. In
# st.bottom it is pinned as usual, but Streamlit then does not pull the view down to the newest message, which
# left a new answer above the view: scroll_to_question shows it from its first line instead.
with st.bottom:
    question = st.chat_input("Ask a question, e.g. what was resolved about care leavers?")
question = question or st.session_state.pop("ask_again", None)
if not st.session_state.turns and not question:
    show_library(get_assistant())

for turn, (asked, reply) in enumerate(st.session_state.turns):
    with st.chat_message("user"):
        st.html(f'<span id="question-{turn}"></span>')
        st.text(asked)
    with st.chat_message("assistant"):
        if isinstance(reply, Answer):
            render_answer(reply, turn)
        else:
            st.error(reply)

if question:
    turn = len(st.session_state.turns)
    with st.chat_message("user"):
        st.html(f'<span id="question-{turn}"></span>')
        st.text(question)
    scroll_to_question(turn)
    history = [q for q, reply in st.session_state.turns if isinstance(reply, Answer)]
    with st.chat_message("assistant"):
        try:
            reply = stream_answer(get_assistant().ask_stream(question, history=history, filters=filters))
            # Kept with the turn: the decisions are searched once, not at every rerun that redraws it.
            st.session_state.setdefault("turn_decisions", {})[turn] = decisions_asked_for(
                get_assistant(), reply.standalone_question or question, filters)
            render_answer(reply, turn)
        except QuestionError as exc:
            reply = f"Cannot ask that: {exc}."
            st.error(reply)
    st.session_state.turns.append((question, reply))
    scroll_to_question(turn)  # again, once the answer and its sources are drawn below it

answered = [reply for _, reply in st.session_state.turns if isinstance(reply, Answer)]
if answered:  # the address bar is the last question's permalink, also after a visit to another page
    st.query_params.from_dict(answer_params(answered[-1]))
if st.session_state.turns:
    # Numbered as on the page, so the export's [n] are the ones the reader saw.
    turns = [(asked, for_display(reply) if isinstance(reply, Answer) else reply)
             for asked, reply in st.session_state.turns]
    with st.sidebar:
        offer_download("Export the conversation (Markdown)",  # dated when downloaded
                       lambda: conversation_markdown(turns, dt.datetime.now()).encode(), "clerk-conversation.md",
                       "text/markdown", key="export")
