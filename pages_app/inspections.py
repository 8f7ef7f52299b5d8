"""Inspections: each council's Ofsted judgements over time, each report's improvement points, and under each
the meetings since that speak to it, every line cited; the councils side by side. Record text is shown as
escaped Markdown, never as HTML."""
from __future__ import annotations

import streamlit as st

from assistant.inspection_view import (
    GRADE_ORDER,
    comparison_rows,
    days,
    file_name,
    grade_rows,
    inspection_timeline,
    link_line,
    point_links,
    with_links,
)
from assistant.present import escape_markdown
from pages_app.common import get_assistant

UNGRADED = "no overall grade"


def linked_timeline(assistant) -> list[dict]:
    """The timeline with its links, found once per revision of the library: a rerun (choosing another council)
    does not search again, an ingest or a delete does."""
    assistant.library.reload_manifest()
    revision = assistant.library.manifest.revision
    kept = st.session_state.get("inspections-timeline")
    if not kept or kept[0] != revision:
        timeline = inspection_timeline(assistant.library.manifest.documents, None)
        kept = (revision, with_links(timeline, assistant.inspection_links(timeline)) if timeline else [])
        st.session_state["inspections-timeline"] = kept
    return kept[1]


def grade_chart(council: dict) -> None:
    """The council's inspections by date on the ordered scale of grades; a visit that gives no overall grade
    sits below it, so it is seen without looking like a grade."""
    import altair as alt
    import pandas as pd

    graded = grade_rows([council])
    ungraded = [{"council": council["council"], "date": i["last_day"], "grade": UNGRADED, "rank": -1,
                 "type": i.get("type") or "inspection"}
                for i in council["inspections"] if i.get("last_day") and i.get("overall") not in GRADE_ORDER]
    data = pd.DataFrame(graded + ungraded)
    if data.empty:
        st.caption("No dated inspection to chart.")
        return
    scale = alt.Scale(domain=[UNGRADED, *GRADE_ORDER])
    base = alt.Chart(data).encode(
        x=alt.X("date:T", title=None, axis=alt.Axis(format="%Y")),
        y=alt.Y("grade:N", scale=scale, sort=[UNGRADED, *GRADE_ORDER][::-1], title=None),
        tooltip=["date:T", "grade:N", "type:N"])
    line = base.transform_filter(alt.datum.rank >= 0).mark_line(color="#888")
    points = base.mark_point(filled=True, size=90).encode(color=alt.Color("type:N", title="Type"))
    st.altair_chart((line + points).properties(height=200), width="stretch")


def show_links(links: list[dict]) -> None:
    """The linked meetings as one list, each line cited."""
    st.markdown("\n".join(f"- ↳ {escape_markdown(link_line(link))}" for link in links))


def show_inspection(inspection: dict) -> None:
    with st.container(border=True):
        st.markdown(f"**{escape_markdown(days(inspection))} · {escape_markdown(inspection.get('type') or 'inspection')}"
                    f" · {escape_markdown(inspection.get('overall') or UNGRADED)}**")
        lead = inspection.get("lead_inspector") or "not named"
        st.caption(f"Lead inspector: {escape_markdown(lead)} · {escape_markdown(file_name(inspection['source']))}")
        for judgement in inspection.get("judgements", []):
            st.markdown(f"- {escape_markdown(judgement['area'])}: {escape_markdown(judgement['grade'] or '')}")
        own = point_links(inspection, None)
        if own:
            st.markdown("**Meetings since on this inspection or its plan**, newest first")
            show_links(own)
        if inspection["improvements"]:
            st.markdown("**What needs to improve**, with the meetings since that speak to each point")
        for n, point in enumerate(inspection["improvements"], start=1):
            st.markdown(f"{n}\\. {escape_markdown(point)}")
            linked = point_links(inspection, n)
            if linked:
                show_links(linked)
            else:
                st.caption("No meeting since found that speaks to this point.")


assistant = get_assistant()
st.title("Inspections")
st.caption("Ofsted's judgements of each council's children's services, the points each report says need to "
           "improve, and the meetings since that speak to each: the council's minutes, decisions and plans from the "
           "inspection until its next one. Each line quotes the sentence that makes the link.")

timeline = linked_timeline(assistant)
if not timeline:
    st.info("No Ofsted inspection reports in the library. Ingest a report (Library page) and it is read here.")
    st.stop()

st.subheader("Councils side by side")
st.dataframe(comparison_rows(timeline), hide_index=True, width="stretch")

names = [c["council"] for c in timeline]
chosen = st.selectbox("Council", names, key="inspections-council")
council = next(c for c in timeline if c["council"] == chosen)
st.subheader(escape_markdown(council["council"]))
grade_chart(council)
for inspection in council["inspections"]:
    show_inspection(inspection)
