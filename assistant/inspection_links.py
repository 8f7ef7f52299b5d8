"""Which meetings speak to an Ofsted inspection: the minutes, decisions and plans of the inspected council,
after the inspection and before the next, that discuss it, its plan or one of its improvement points, each
with the passage that makes the link.

Pure functions over what the caller found: the passages retrieved for the inspection and for each point
(`Hit`s), and what each record they come from says as a whole (`RecordFacts`). The service does the I/O.
"""
from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass
from typing import Iterable, Sequence

from ingest.lexical import tokenize
from ingest.records import Chunk, Hit

from .answers import Citation
from .councils import canonical, most_named
from .tuning import TUNING

# A record about an inspection of children's services names Ofsted: "inspection" alone is also a highway's, and
# an "Inspector's Report" a planning inspector's.
OFSTED = re.compile(r"\b(ofsted|ilacs)\b", re.I)
# In such a record, a passage on the inspection or the plan answering it names it in these words; not "action
# plan" alone, which a Cabinet has for its care strategy too.
INSPECTION_WORDS = re.compile(r"\b(ofsted|ilacs|inspections?|monitoring visits?|focused visits?)\b", re.I)
# What a meeting on an inspection or its plan is searched by; each point adds its own words.
PLAN_QUERY = "Ofsted inspection children's services improvement plan action plan progress"
_YEAR = re.compile(r"\b(19[89]\d|20\d\d)\b")


@dataclass(frozen=True)
class Window:
    """The meetings that can speak to an inspection: from its last day until the day before the council's
    next inspection, or for `TUNING.inspection_window_days` when the store holds no later one."""

    start: str  # ISO dates, inclusive
    end: str

    def holds(self, iso: str) -> bool:
        return self.start <= iso <= self.end

    def years(self) -> range:
        return range(int(self.start[:4]), int(self.end[:4]) + 1)


def window(inspection: dict, council_inspections: Iterable[dict]) -> Window | None:
    """`inspection`'s window among its council's inspections (as the timeline keeps them); None undated."""
    start = inspection.get("last_day") or inspection.get("first_day")
    if not start:
        return None
    later = sorted(d for other in council_inspections
                   if (d := other.get("first_day") or other.get("last_day")) and d > start)
    bound = (dt.date.fromisoformat(later[0]) - dt.timedelta(days=1) if later
             else dt.date.fromisoformat(start) + dt.timedelta(days=TUNING.inspection_window_days))
    return Window(start, bound.isoformat())


@dataclass(frozen=True)
class RecordFacts:
    """What a whole record says that one passage of it need not: the councils it names most (for a record
    of unknown council), the years it names most (for an undated one), and whether it names Ofsted."""

    councils: tuple[str, ...]
    years: frozenset[int]
    about_inspection: bool


def record_facts(chunks: Sequence[Chunk]) -> RecordFacts:
    texts = [f"{c.meta.title or ''} {c.heading or ''} {c.text}" for c in chunks]
    # The years named most, not every one: a 2008 needs assessment names 2020 as a target, once.
    years = Counter(int(y) for t in texts for y in _YEAR.findall(t))
    top = max(years.values(), default=0)
    return RecordFacts(most_named(c.text for c in chunks), frozenset(y for y, n in years.items() if n == top),
                       any(OFSTED.search(t) for t in texts))


def of_council(chunk: Chunk, council: str, facts: RecordFacts) -> bool:
    """A record of the council, or of unknown council and naming it most (a ModernGov item page of Rutland's
    names Rutland once, if at all)."""
    if chunk.meta.council:
        return canonical(chunk.meta.council) == canonical(council)
    return canonical(council) in {canonical(c) for c in facts.councils}


def placed(chunk: Chunk, span: Window, facts: RecordFacts) -> bool | None:
    """True when the meeting is dated within the window; False when undated but naming a year of it most (the
    seeds' item pages give no date: "Report No.101/2020"), never guessed any closer; None otherwise."""
    if chunk.meta.meeting_date:
        return True if span.holds(chunk.meta.meeting_date) else None
    return False if facts.years & set(span.years()) else None


@dataclass(frozen=True)
class Link:
    """A meeting that speaks to an inspection (`point` None) or to its improvement point `point` (1-based),
    and the passage of it that does."""

    inspection: str  # the report's source
    point: int | None
    citation: Citation
    dated: bool  # False: the record gives no date; it names a year of the window
    coverage: float  # the share of the point's words' weight the passage holds (1.0 for the inspection)

    def to_json(self) -> dict:
        c = self.citation
        return {"point": self.point, "dated": self.dated, "coverage": round(self.coverage, 3),
                "council": c.council, "committee": c.committee, "meeting_date": c.meeting_date, "item": c.item,
                "minute": c.minute, "title": c.title, "page": c.page, "source": c.source, "chunk_id": c.chunk_id,
                "quote": c.supporting, "text": c.text}


def point_terms(point: str) -> set[str]:
    """A point's stemmed content words, less those every point shares with the inspection ("Ofsted") and the
    stems of two letters the stop words miss ("well-being" is "well" and "be")."""
    return {t for t in tokenize([point])[0] if len(t) > 2} - set(tokenize([PLAN_QUERY])[0])


def _sentences(text: str) -> list[str]:
    return [s.strip(" \u00a0·•") for s in re.split(r"(?<=[.!?])\s+|\n+", text) if s.strip(" \u00a0·•")] or [text]


def best_sentence(text: str, terms: set[str], idf: dict[str, float]) -> tuple[str, float]:
    """The sentence of a passage that speaks most to a point, and the share of the weight (idf) of the point's
    `terms` it holds: 0 when it holds fewer than two of them (one word, "permanent", is not "early permanence
    planning"). A sentence, not the passage: 165 words hold a few of any point's words somewhere."""
    sentences = _sentences(text)
    total = sum(idf.get(t, 0.0) for t in terms)
    if not total:
        return sentences[0], 0.0
    scored = [(sum(idf.get(t, 0.0) for t in held) / total if len(held) >= min(2, len(terms)) else 0.0, -i)
              for i, held in enumerate(terms & set(tokens) for tokens in tokenize(sentences))]
    share, at = max(scored)
    return sentences[-at], share


def naming_sentence(text: str) -> str | None:
    """The first sentence of a passage naming an inspection, if one does."""
    return next((s for s in _sentences(text) if INSPECTION_WORDS.search(s)), None)


def links(inspection: dict, council: str, span: Window, found: Sequence[tuple[int | None, Sequence[Hit]]],
          records: dict[str, RecordFacts], idf: dict[str, float]) -> list[Link]:
    """The links of one inspection from the passages `found` for it (point None) and for each point, best
    first: one per record and point, its best passage, records newest first and undated ones last. A passage
    links when its record is the council's, in the window and about an inspection, and it names the inspection
    or its plan itself (point None) or holds `TUNING.inspection_point_coverage` of the point's words' weight."""
    chosen: dict[tuple[int | None, str], Link] = {}
    for point, hits in found:
        terms = point_terms(inspection["improvements"][point - 1]) if point else set()
        for hit in hits:
            chunk = hit.chunk
            facts = records.get(chunk.doc_id)
            if facts is None or chunk.meta.kind == "inspection_report" or not facts.about_inspection \
                    or not of_council(chunk, council, facts) or (dated := placed(chunk, span, facts)) is None:
                continue
            if point is None:
                sentence, coverage = naming_sentence(chunk.text), 1.0
                if sentence is None:
                    continue
            else:
                sentence, coverage = best_sentence(chunk.text, terms, idf)
                if coverage < TUNING.inspection_point_coverage:
                    continue
            key = (point, chunk.doc_id)
            if key not in chosen or coverage > chosen[key].coverage:
                citation = Citation.from_hit(0, hit, supporting=sentence, cited=True)
                chosen[key] = Link(inspection["source"], point, citation, dated, coverage)
    newest = sorted(chosen.values(), key=lambda link: link.citation.meeting_date or "", reverse=True)
    return sorted(newest, key=lambda link: (link.point or 0, not link.dated))
