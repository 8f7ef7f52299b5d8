"""What the pages share: the one Assistant per process, the filter widgets, downloads to this session only."""
from __future__ import annotations

import base64
import datetime as dt
import json
import mimetypes
from collections.abc import Callable
from pathlib import Path

import streamlit as st
import streamlit.components.v1 as components

from assistant.library_view import facet_options, make_filters
from assistant.present import escape_markdown, readable_file_name
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.filters import Filters


@st.cache_resource(show_spinner="Loading the embedding model and the store…")
def get_assistant() -> Assistant:
    # Once per process, shared by every session: the model loads once, never on a rerun; here, under the
    # spinner, rather than at the first question.
    assistant = Assistant.open(Settings.from_env())
    assistant.embedder.encode(["warm-up"])
    return assistant


def filter_widgets(assistant: Assistant, key: str, *, decisions_toggle: bool = True) -> Filters:
    """Council, committee, dates, kind (and decisions only), offered from what is in the store."""
    assistant.library.reload_manifest()
    facets = assistant.library.lexical().facets
    councils = st.multiselect("Council", facet_options(facets).councils, key=f"{key}-councils",
                              placeholder="All councils")
    options = facet_options(facets, tuple(councils))
    committees = st.multiselect("Committee", options.committees, key=f"{key}-committees",
                                placeholder="All committees")
    bounds = {"min_value": options.first_date, "max_value": options.last_date, "format": "YYYY-MM-DD"}
    since = st.date_input("Meetings from", value=None, key=f"{key}-since", **bounds)
    until = st.date_input("Meetings until", value=None, key=f"{key}-until", **bounds)
    kinds = st.multiselect("Document kind", options.kinds, key=f"{key}-kinds", placeholder="All kinds",
                           format_func=lambda k: k.replace("_", " "))
    decisions_only = decisions_toggle and st.checkbox("Decisions only", key=f"{key}-decisions",
                                                      help="Only passages that record a decision (RESOLVED …)")
    return make_filters(councils, committees, since, until, kinds, decisions_only)


def clear_filters(key: str) -> None:
    """Every filter of `filter_widgets(…, key)` back to none. For a widget's callback: a widget's value
    can be set only before it is drawn in a run."""
    set_filters(key, Filters())


def set_filters(key: str, filters: Filters) -> None:
    """The filter widgets of `filter_widgets(…, key)` set to `filters`, whose values they must offer; before
    they are drawn in a run."""
    for name, value in (("councils", list(filters.councils)), ("committees", list(filters.committees)),
                        ("since", dt.date.fromisoformat(filters.since) if filters.since else None),
                        ("until", dt.date.fromisoformat(filters.until) if filters.until else None),
                        ("kinds", list(filters.kinds)), ("decisions", filters.decisions_only)):
        st.session_state[f"{key}-{name}"] = value


def download_original(source: str, page: int | None, key: str, compact: bool = False) -> None:
    """A button that downloads the record's file (read only when clicked), or a link for a synced record;
    `compact`: drawn as a link-like button, under a list of sources. A file named by a hash is "the original"."""
    kind = "tertiary" if compact else "secondary"
    if source.startswith(("http://", "https://")):
        st.link_button("Open the record on the council's site", source, type=kind)
        return
    path = Path(source)
    if not path.is_file():
        st.caption("The original file is no longer where it was ingested from.")
        return
    where = f" (the passage is on page {page})" if page and path.suffix.lower() == ".pdf" else ""
    name = readable_file_name(path.name)
    offer_download(f"Download {escape_markdown(name) if name else 'the original'}{where}", path.read_bytes, path.name,
                   mimetypes.guess_type(path.name)[0] or "application/octet-stream", key, kind=kind,
                   icon=":material/download:" if compact else None)


def offer_download(label: str, data: Callable[[], bytes], file_name: str, mime: str, key: str,
                   kind: str = "secondary", icon: str | None = None) -> None:
    """A button whose click sends the file to this session only, through its own connection, where
    the browser saves it: no URL serves it. st.download_button leaves the file at a /media URL that
    any client may fetch, password or not, and for as long as Streamlit keeps it."""
    if st.button(label, key=key, type=kind, icon=icon):
        st.session_state["download-count"] = st.session_state.get("download-count", 0) + 1
        components.html(save_page(data(), file_name, mime, st.session_state["download-count"]), height=32)


def save_page(data: bytes, file_name: str, mime: str, nonce: int) -> str:
    """A page that saves `data` as `file_name` at once, and offers a link to save it again. The name and
    type are JSON in a script (with "<" escaped, so nothing can close it), never markup; the bytes are
    base64. The link is to a blob, which exists only in this page: when the session goes, so does it."""
    def js(value: str) -> str:
        return json.dumps(value).replace("<", "\\u003c")

    return f"""<!-- {nonce} --><a id="save" href="#" style="font: 14px sans-serif">Save the file again</a>
<script>
const bytes = Uint8Array.from(atob("{base64.b64encode(data).decode("ascii")}"), c => c.charCodeAt(0));
const link = document.getElementById("save");
link.href = URL.createObjectURL(new Blob([bytes], {{type: {js(mime)}}}));
link.download = {js(file_name)};
link.click();
</script>"""
