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
from ingest.text import collapse

from .query import QueryHints
from .verdicts import states_verdict

# What a question asks of an inspection, besides its verdict (QueryHints.wants_verdict).
# "Inspectors said …" asks what they said, not who they were.
_ASKS_COVER = re.compile(r"\b(when|who led|led (by|the)|lead inspector|which inspectors?|who inspected|dates? of)\b", re.I)
# "When is the next inspection due?" asks about one not yet held: no report's dates answer it.
_NEXT = re.compile(r"\b(next|upcoming|future)\s+(?:\w+\s+){0,2}(inspection|visit)", re.I)
# The list itself: "areas for improvement", "what needs to improve"; not "how much … needed to improve".
_ASKS_IMPROVEMENTS = re.compile(r"\b(areas? (for|of) (improvement|development)|improvement points?|recommendations?"
                                r"|what (\w+ ){0,8}(needs?|needed|had|has|have) to (improve|do better)|weakness(es)?"
                                r"|shortcomings?)\b", re.I)
# A grade is no question about improvement points: "rated requires improvement to be good".
_GRADE_WORDS = re.compile(r"\brequir\w*\s+improvement(\s+to\s+be\s+good)?", re.I)

# Where a report gives its dates and inspector: its cover's "Inspection dates: …" and "Lead inspector: …" lines
# (a visit's letter is signed by "His Majesty's Inspector"). Its improvement points were read at ingest.
_COVER = re.compile(r"Inspection dates?:|Lead inspector:|(?:His|Her) Majesty[’']s Inspector", re.I)


@dataclass(frozen=True)
class Report:
    doc_id: str
    day: str  # ISO: the inspection's last day, else the record's date; "" when neither is known
    council: str | None = None
    points: tuple[str, ...] = ()  # its "what needs to improve" points, as ingest/inspections.py read them


def parts_asked(question: str, hints: QueryHints) -> tuple[str, ...]:
    """Which of a report's key passages the question asks for: "verdict", "cover", "improvements"; none
    unless it is about the inspections (Ofsted, inspection, a verdict) of councils it names."""
    if not hints.councils or not (hints.kind == "inspection_report" or hints.wants_verdict):
        return ()
    asked = [part for part, wanted in (("verdict", hints.wants_verdict), ("cover", bool(_ASKS_COVER.search(question)) and not _NEXT.search(question)),
                                       ("improvements", bool(_ASKS_IMPROVEMENTS.search(_GRADE_WORDS.sub("", question)))))
             if wanted]
    return tuple(asked)


def in_order(reports: list[Report], years: tuple[int, ...]) -> list[Report]:
    """The reports of the years a question names first, then newest first: "the last inspection" is the
    newest, "its 2017, 2022 and 2025 inspections" are those three."""
    newest_first = sorted(reports, key=lambda r: r.day, reverse=True)
    return sorted(newest_first, key=lambda r: not (r.day[:4].isdigit() and int(r.day[:4]) in years))


def key_passages(chunks: list[Chunk], parts: tuple[str, ...], report: Report) -> list[Chunk]:
    """Of one report's passages, the first in the report's order that gives each part asked for (for its
    improvement points, each passage holding one: a list can run on into the next passage)."""
    ordered = sorted(chunks, key=lambda c: (c.page, c.start))
    found: list[Chunk] = []
    for part in parts:
        giving = [c for c in ordered if any(gives_part(line, (part,), report) for line in c.text.split("\n\n"))]
        for chunk in giving if part == "improvements" else giving[:1]:
            if all(chunk.chunk_id != f.chunk_id for f in found):
                found.append(chunk)
    return found


def gives_part(sentence: str, parts: tuple[str, ...], report: Report) -> bool:
    """Whether a sentence of a report gives a part asked for: a cover line ("Inspection dates: …", "Lead
    inspector: …"), a verdict, or (part of) one of the report's improvement points."""
    said = collapse(sentence).strip(" •◼▪■●")
    return ("cover" in parts and bool(_COVER.search(sentence))) \
        or ("verdict" in parts and states_verdict(sentence)) \
        or ("improvements" in parts and len(said.split()) >= 3
            and any(said in point or point in said for point in map(collapse, report.points)))
