"""Watches: saved searches and what each found among the records that arrived since it was made. The same
watches as `clerk watch` (STORE/watches.json); record text is shown escaped, never as HTML."""
from __future__ import annotations

import streamlit as st

from assistant.answers import Citation
from assistant.digest import notify
from assistant.library_view import decision_heading
from assistant.present import describe_filters, escape_markdown, marked_markdown
from assistant.watches import WatchFile, add, check, feed_path, remove
from ingest.lexical import tokenize
from pages_app.common import filter_widgets, get_assistant

SHOWN = 20  # matches shown per watch, newest first


def show_match(match: dict, terms: set[str]) -> None:
    citation = Citation(**{k: match.get(k) for k in Citation.__dataclass_fields__})
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(decision_heading(citation))}**")
        effect = f"Effect: **{escape_markdown(match['effect'])}** · " if match.get("effect") else ""
        st.caption(f"{effect}Found {escape_markdown(match['found'][:16].replace('T', ' '))} · "
                   f"{escape_markdown(citation.file_name)}")
        st.markdown(marked_markdown(citation.text, terms))


def check_now() -> None:
    try:
        found = check(assistant)
        sent = notify(assistant.settings, found)
    except ValueError as exc:
        st.session_state["watches-said"] = ("error", f"The watches were not checked: {exc}")
        return
    news = sum(len(f.new) for f in found)
    st.session_state["watches-said"] = ("success", f"{news} new {'passage' if news == 1 else 'passages'}"
                                        + (f"; {sent}" if sent else "") + ".")


assistant = get_assistant()
st.title("Watches")
st.caption("Saved searches. After each ingest or sync (and when you check), the passages that newly match a "
           "watch are listed here, best first, each once, and written to its feed for a feed reader.")

with st.sidebar:
    st.header("Filters for a new watch")
    filters = filter_widgets(assistant, "watches")

with st.form("watch-add", clear_on_submit=True):
    left, right = st.columns([1, 3])
    name = left.text_input("Name", placeholder="play-area", help="Letters, digits, - and _; it names the feed")
    query = right.text_input("Watch for", placeholder="e.g. the play area refurbishment")
    if st.form_submit_button("Add the watch"):
        try:
            _, already = add(assistant, name.strip(), query, filters)
            st.session_state["watches-said"] = (
                "success", f"Watching “{query.strip()}”: {already} {'passage' if already == 1 else 'passages'} "
                           "already in the library match, so only what arrives from now on is listed.")
        except ValueError as exc:
            st.session_state["watches-said"] = ("error", f"Cannot add that watch: {exc}")

st.button("Check now", on_click=check_now, help="Read the records added since the last check")
if "watches-said" in st.session_state:
    kind, said = st.session_state.pop("watches-said")
    (st.success if kind == "success" else st.error)(escape_markdown(said))

try:
    watches = sorted(WatchFile.load(assistant.settings.store).watches.values(), key=lambda w: w.name)
except ValueError as exc:
    st.error(escape_markdown(str(exc)))
    st.stop()
if not watches:
    st.info("No watches yet: add one above, or from the command line with clerk watch add NAME \"QUERY\".")
for watch in watches:
    st.subheader(escape_markdown(watch.name))
    described = describe_filters(watch.filters)
    st.markdown(f"Watching for “{escape_markdown(watch.query)}”" + (f" ({escape_markdown(described)})" if described
                                                                      else ""))
    st.caption(f"{len(watch.matches)} found since {escape_markdown(watch.created[:10])} · last checked "
               f"{escape_markdown((watch.checked or 'never')[:16].replace('T', ' '))} · feed: "
               f"{escape_markdown(str(feed_path(assistant.settings.store, watch.name).resolve()))}")
    if st.button("Remove", key=f"watch-rm-{watch.name}"):
        remove(assistant.settings.store, watch.name)
        st.rerun()
    if not watch.matches:
        st.write("Nothing new yet.")
    terms = set(tokenize([watch.query])[0])
    for match in watch.matches[:SHOWN]:
        show_match(match, terms)
