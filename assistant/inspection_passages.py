"""The passages of a council's inspection reports that a question about those inspections asks for: the
cover (when, who led it), the headline verdict, the "what needs to improve" points. Pure logic.

"When did Ofsted last inspect Kent's children's services, and who led the inspection?" shares its words
with every page of every Kent report ("inspection", "children's services"), and "How has Ofsted's overall
judgement of Kent moved across its 2017, 2022 and 2025 inspections?" with none of the headline that
answers it for 2017 ("Children's services in Kent are good"). Each report is read at ingest
(ingest/inspections.py), so which records are the council's reports, and when each took place, is known:
these passages are found by the report's structure, not by the question's words.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from ingest.records import Chunk

from .query import QueryHints
from .verdicts import states_verdict

# What a question asks of an inspection, besides its verdict (QueryHints.wants_verdict).
_ASKS_COVER = re.compile(r"\b(when|who|led|lead inspector|inspectors?|dates?)\b", re.I)
_ASKS_IMPROVEMENTS = re.compile(r"\b(improve|improvements?|recommendations?|areas? for|weakness(es)?|shortcomings?)\b",
                                re.I)
# A grade is no question about improvement points: "rated requires improvement to be good".
_GRADE_WORDS = re.compile(r"\brequir\w*\s+improvement(\s+to\s+be\s+good)?", re.I)

# Where a report says each: its cover's "Inspection dates: …" and "Lead inspector: …" lines (a visit's letter
# is signed by "His Majesty's Inspector"); its "What needs to improve?" list, or a SIF report's Recommendations.
_COVER = re.compile(r"Inspection dates?:|Lead inspector:|(?:His|Her) Majesty[’']s Inspector", re.I)
_IMPROVEMENTS = re.compile(r"What needs to improve|^Recommendations$", re.I | re.M)


@dataclass(frozen=True)
class Report:
    doc_id: str
    day: str  # ISO: the inspection's last day, else the record's date; "" when neither is known


def parts_asked(question: str, hints: QueryHints) -> tuple[str, ...]:
    """Which of a report's key passages the question asks for: "verdict", "cover", "improvements". None
    unless it is about the inspections (Ofsted, inspection, a verdict) of councils it names."""
    if not hints.councils or not (hints.kind == "inspection_report" or hints.wants_verdict):
        return ()
    asked = [part for part, wanted in (("verdict", hints.wants_verdict), ("cover", bool(_ASKS_COVER.search(question))),
                                       ("improvements", bool(_ASKS_IMPROVEMENTS.search(_GRADE_WORDS.sub("", question)))))
             if wanted]
    return tuple(asked)


def in_order(reports: list[Report], years: tuple[int, ...]) -> list[Report]:
    """The reports of the years a question names first, then newest first: "the last inspection" is the
    newest, "its 2017, 2022 and 2025 inspections" are those three."""
    newest_first = sorted(reports, key=lambda r: r.day, reverse=True)
    return sorted(newest_first, key=lambda r: not (r.day[:4].isdigit() and int(r.day[:4]) in years))


def key_passages(chunks: list[Chunk], parts: tuple[str, ...]) -> list[Chunk]:
    """Of one report's passages, the first in the report's order that gives each part asked for."""
    tests = {"verdict": lambda c: states_verdict(f"{c.heading or ''} {c.text}"),
             "cover": lambda c: bool(_COVER.search(c.text)),
             "improvements": lambda c: bool(_IMPROVEMENTS.search(c.text))}
    ordered = sorted(chunks, key=lambda c: (c.page, c.start))
    found: list[Chunk] = []
    for part in parts:
        chunk = next((c for c in ordered if tests[part](c)), None)
        if chunk is not None and all(chunk.chunk_id != f.chunk_id for f in found):
            found.append(chunk)
    return found
