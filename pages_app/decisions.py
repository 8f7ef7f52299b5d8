"""Decisions: the precedent finder as a searchable, filterable table with a CSV download."""
from __future__ import annotations

import pandas as pd
import streamlit as st

from assistant.library_view import csv_bytes, decision_rows
from assistant.present import escape_markdown
from assistant.service import QuestionError
from pages_app.common import filter_widgets, get_assistant

assistant = get_assistant()
st.title("Decisions")
st.caption("What committees resolved, verbatim, with where each decision is recorded. Procedural decisions "
           "(apologies, the last meeting's minutes) are left out.")

with st.sidebar:
    st.header("Filters")
    filters = filter_widgets(assistant, "decisions", decisions_toggle=False)

topic = st.text_input("Topic", placeholder="e.g. care leavers' council tax; empty lists the newest first",
                      key="decisions-topic")
limit = st.number_input("At most", min_value=10, max_value=500, value=50, step=10, key="decisions-limit")
try:
    entries = assistant.decisions(topic or None, filters=filters, limit=int(limit))
except QuestionError as exc:
    st.error(f"Cannot search for that: {escape_markdown(str(exc))}.")
    st.stop()

effects = sorted({e.effect for e in entries})
chosen = st.multiselect("What the decision did", effects, placeholder="Any (noted, approved, agreed…)",
                        key="decisions-effects")
rows = decision_rows([e for e in entries if not chosen or e.effect in chosen])
if filters.active:
    st.caption("Filters: " + escape_markdown(filters.describe()))
if not rows:
    st.info("No decisions match. Try another topic or fewer filters.")
    st.stop()
st.write(f"{len(rows)} decisions" + (" most relevant first" if topic else ", newest first") + ".")
st.dataframe(pd.DataFrame(rows), hide_index=True,
             column_config={"decision": st.column_config.TextColumn("decision (verbatim)", width="large")})
st.download_button("Download as CSV", csv_bytes(rows), file_name="clerk-decisions.csv", mime="text/csv",
                   on_click="ignore")
