"""Library: what is in the store, each document's status, uploads and deletions."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.library_view import counts_by, document_rows, file_name
from assistant.present import escape_markdown
from assistant.uploads import UPLOAD_TYPES, delete_document, history, ingest_uploads, uploads_folder
from ingest.writer import StoreBusy
from pages_app.common import download_original, get_assistant

assistant = get_assistant()
settings = assistant.settings
st.title("Library")

# Uploads first in the script, so the counts and tables below already include what they add.
st.header("Add records")
st.caption(f"PDF, HTML, text, Markdown or JSON files, or a zip of them; up to {settings.upload_max_mb} MB each. "
           "A file that cannot be read is reported and left out; nothing else is affected.")
uploaded = st.file_uploader("Files to add", type=list(UPLOAD_TYPES), accept_multiple_files=True,
                            max_upload_size=settings.upload_max_mb, key="uploads")
if st.button("Ingest the files", type="primary", disabled=not uploaded):
    bar = st.progress(0.0, text="Reading the files…")

    def progress(stage: str, done: int, total: int) -> None:
        bar.progress(done / total if total else 1.0,
                     text=f"{'Reading files' if stage == 'reading' else 'Embedding passages'}: {done} of {total}")

    with st.spinner("Ingesting…"):
        results = ingest_uploads(assistant, [(f.name, f.getvalue()) for f in uploaded], progress,
                                 on_wait=lambda message: bar.progress(0.0, text=message))
    bar.progress(1.0, text="Done.")
    for result in results:
        name = escape_markdown(result.name)
        if result.status == "failed":
            st.error(f"Not added: {name}: {escape_markdown(result.message)}", icon=":material/error:")
        else:
            note = f" ({escape_markdown(result.message)})" if result.message else ""
            st.success(f"{result.status.capitalize()}: {name}, {result.chunks} passages{note}",
                       icon=":material/check_circle:")

assistant.library.reload_manifest()
documents = assistant.library.manifest.documents
facets = assistant.library.lexical().facets

st.header("In the store")
left, middle, right = st.columns(3)
left.metric("Documents", len(documents))
middle.metric("Passages", len(facets))
right.metric("Decisions", sum(bool(f["decision"]) for f in facets))

by = st.radio("Count documents by", ["council", "committee", "year"], horizontal=True)
counts = pd.DataFrame(counts_by(documents, by), columns=[by, "documents"])
if len(counts):
    st.bar_chart(counts, x=by, y="documents", horizontal=by != "year", x_label=by, y_label="documents")
    st.dataframe(counts, hide_index=True)

st.header("Documents")
rows = document_rows(documents, history(uploads_folder(assistant)))
table = pd.DataFrame(rows).drop(columns="source") if rows else pd.DataFrame()
status = st.multiselect("Show documents that are", ["ingested", "failed", "superseded", "deleted", "removed"],
                        default=["ingested", "failed", "superseded"])
if len(table):
    st.dataframe(table[table["status"].isin(status)], hide_index=True)



def delete(source: str) -> None:
    # A callback, so the tables drawn in the run it triggers no longer list the document.
    try:
        gone = delete_document(assistant, source)
    except StoreBusy as exc:  # another process is writing the store and did not finish within CLERK_WRITE_WAIT
        st.session_state["library-notice"] = f"Not deleted: {file_name(source)}: {exc}"
    else:
        st.session_state["library-notice"] = f"{'Deleted' if gone else 'Already gone'}: {file_name(source)}"
    st.session_state["confirm-delete"] = False


in_store = sorted(documents, key=lambda s: file_name(s).lower())
st.subheader("Download or delete a document")
if "library-notice" in st.session_state:
    st.info(escape_markdown(st.session_state.pop("library-notice")))
if in_store:
    chosen = st.selectbox("Document", in_store, format_func=file_name)
    download_original(chosen, None, key="library-download")
    confirm = st.checkbox("Yes, delete this document and its passages from the store", key="confirm-delete")
    st.button("Delete the document", disabled=not confirm, on_click=delete, args=(chosen,))
