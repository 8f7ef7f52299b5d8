"""Inspections as the CLI and the app show them: each council's inspections newest first (from the readings
kept in the manifest at ingest), with the meetings linked to each (inspection_links), the grades as points
on an ordered scale, and the councils side by side. Pure functions over plain data."""
from __future__ import annotations

import datetime as dt

from ingest.inspections import GRADES

from .inspection_links import Link

# Worst first, so a chart's scale climbs from inadequate to outstanding.
GRADE_ORDER = tuple(reversed(GRADES))


def inspection_timeline(documents: dict, councils: list[str] | None) -> list[dict]:
    """The stored inspections per council, councils by name and each one's inspections newest first, from
    the readings kept in the manifest at ingest. `councils`: parts of names, any of which will do."""
    wanted = [c.lower() for c in councils or []]
    by_council: dict[str, list[dict]] = {}
    for source, entry in documents.items():
        found = entry.meta.get("inspection")
        council = (found or {}).get("council") or "(council unknown)"
        if found and (not wanted or any(w in council.lower() for w in wanted)):
            by_council.setdefault(council, []).append({**found, "source": source})
    return [{"council": council, "inspections": sorted(found, key=lambda i: i["last_day"] or "", reverse=True)}
            for council, found in sorted(by_council.items())]


def with_links(timeline: list[dict], links: dict[str, list[Link]]) -> list[dict]:
    """The timeline with each inspection's links (by its source) as JSON: the inspection's own (`point` null)
    and each point's (`point` its number), newest first within each."""
    return [{**council, "inspections": [{**i, "links": [link.to_json() for link in links.get(i["source"], [])]}
                                        for i in council["inspections"]]}
            for council in timeline]


def days(inspection: dict) -> str:
    """"2022-06-27 to 2022-07-01", one day once, or "undated"."""
    return " to ".join(dict.fromkeys(d for d in (inspection.get("first_day"), inspection.get("last_day")) if d)) \
        or "undated"


def shortened(text: str, words: int = 40) -> str:
    """At most `words` words of a quotation, an ellipsis marking the cut (so it still stands in its passage)."""
    split = text.split()
    return " ".join(split[:words]) + (" …" if len(split) > words else "")


def link_line(link: dict) -> str:
    """One linked meeting, cited: where and when it is recorded, then the quoted sentence that makes the link.
    A record that gives no date or council says so: it is linked by the years and the council it names."""
    where = " · ".join(str(p) for p in (
        link["meeting_date"] or "undated", link["council"] or "council not stated", link["committee"],
        f"minute {link['minute']}" if link.get("minute") else None, f"item {link['item']}" if link["item"] else None,
        link["title"] if not link["item"] else None, f"p. {link['page']}") if p)
    return f"{where} — {file_name(link['source'])}: “{shortened(link['quote'] or link['text'])}”"


def file_name(source: str) -> str:
    return source if source.startswith(("http://", "https://")) else source.replace("\\", "/").rsplit("/", 1)[-1]


def point_links(inspection: dict, point: int | None) -> list[dict]:
    return [link for link in inspection.get("links", []) if link["point"] == point]


def grade_rows(timeline: list[dict]) -> list[dict]:
    """One row per graded inspection, for a chart of grades by date: council, date (its last day), grade and
    the grade's place on the scale (0 inadequate … 3 outstanding). A report with no overall grade is left out."""
    return [{"council": c["council"], "date": i["last_day"], "grade": i["overall"],
             "rank": GRADE_ORDER.index(i["overall"]), "type": i.get("type") or "inspection"}
            for c in timeline for i in c["inspections"] if i.get("overall") in GRADE_ORDER and i.get("last_day")]


def comparison_rows(timeline: list[dict]) -> list[dict]:
    """Each council's first and latest inspection side by side, and the years between them: which councils
    moved from inadequate to good, and how long it took. A visit that gives no overall grade says so; the
    change is read only between two grades."""
    rows = []
    for council in timeline:
        dated = sorted((i for i in council["inspections"] if i.get("last_day")), key=lambda i: i["last_day"])
        if not dated:
            continue
        first, latest = dated[0], dated[-1]
        span = (dt.date.fromisoformat(latest["last_day"]) - dt.date.fromisoformat(first["last_day"])).days / 365.25
        grades = [i.get("overall") if i.get("overall") in GRADE_ORDER else None for i in (first, latest)]
        move = GRADE_ORDER.index(grades[1]) - GRADE_ORDER.index(grades[0]) if all(grades) else None
        rows.append({"council": council["council"],
                     "first": f"{grades[0] or 'no overall grade'} ({first['last_day'][:7]})",
                     "latest": f"{grades[1] or 'no overall grade'} ({latest['last_day'][:7]})",
                     "years between": round(span, 1) if len(dated) > 1 else None,
                     "change": "—" if len(dated) == 1 or move is None else
                               "up" if move > 0 else "down" if move < 0 else "same",
                     "inspections": len(council["inspections"])})
    return rows
