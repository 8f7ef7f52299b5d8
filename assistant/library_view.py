"""What the app shows of the store: filter options, counts for the library chart, each document's
status, and the decisions table. Pure functions over the manifest, the facets and the upload history."""
from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ingest.filters import Filters
from ingest.manifest import ManifestEntry

from .answers import Citation, DecisionEntry
from .compose import human_date
from .uploads import HistoryEntry

UNKNOWN = "(unknown)"


@dataclass(frozen=True)
class FacetOptions:
    councils: tuple[str, ...]
    committees: tuple[str, ...]
    kinds: tuple[str, ...]
    first_date: dt.date | None
    last_date: dt.date | None


def facet_options(facets: list[dict], councils: tuple[str, ...] = ()) -> FacetOptions:
    """The values in the store, for the filter widgets; committees only of `councils` when some are chosen."""
    dates = [f["date"] for f in facets if f.get("date")]
    return FacetOptions(
        councils=tuple(sorted({f["council"] for f in facets if f.get("council")})),
        committees=tuple(sorted({f["committee"] for f in facets
                                 if f.get("committee") and (not councils or f.get("council") in councils)})),
        kinds=tuple(sorted({f["kind"] for f in facets if f.get("kind")})),
        first_date=_date(min(dates)) if dates else None,
        last_date=_date(max(dates)) if dates else None)


def _date(yyyymmdd: int) -> dt.date:
    return dt.date(yyyymmdd // 10000, yyyymmdd // 100 % 100, yyyymmdd % 100)


def make_filters(councils=(), committees=(), since: dt.date | None = None, until: dt.date | None = None,
                 kinds=(), decisions_only: bool = False) -> Filters:
    return Filters(councils=tuple(councils), committees=tuple(committees),
                   since=since.isoformat() if since else None, until=until.isoformat() if until else None,
                   kinds=tuple(kinds), decisions_only=decisions_only)


def counts_by(documents: dict[str, ManifestEntry], field: str) -> list[tuple[str, int]]:
    """Documents per council, committee or year, largest first (years in order)."""
    if field == "year":
        counter = Counter(e.meta["meeting_date"][:4] if e.meta.get("meeting_date") else UNKNOWN
                          for e in documents.values())
        return sorted(counter.items())
    counter = Counter(e.meta.get(field) or UNKNOWN for e in documents.values())
    return sorted(counter.items(), key=lambda kv: (-kv[1], kv[0]))


def file_name(source: str) -> str:
    return source if source.startswith(("http://", "https://")) else Path(source).name


def document_rows(documents: dict[str, ManifestEntry], history: list[HistoryEntry]) -> list[dict]:
    """One row per document in the store ("ingested"), then each upload that is not: "failed" with
    its reason, "superseded" when a later upload of the same name replaced it, "deleted"."""
    uploaded = {}
    for entry in history:
        if entry.status != "failed" and entry.source:
            uploaded[(entry.source, entry.sha256)] = entry.time
    rows = []
    for source, entry in sorted(documents.items(), key=lambda kv: file_name(kv[0]).lower()):
        rows.append({"document": file_name(source), "council": entry.meta.get("council") or "",
                     "committee": entry.meta.get("committee") or "", "meeting date": entry.meta.get("meeting_date") or "",
                     "kind": entry.meta.get("kind") or "", "passages": entry.chunks, "status": "ingested",
                     "detail": "; ".join(entry.warnings), "uploaded": uploaded.get((source, entry.sha256), ""),
                     "source": source})
    others: dict[tuple[str, str], dict] = {}
    deleted_at = {e.source: e.time for e in history if e.status == "deleted"}
    for entry in history:
        if entry.status == "deleted":
            continue
        current = documents.get(entry.source)
        if entry.status == "failed":
            status, detail = "failed", entry.message
        elif current and current.sha256 == entry.sha256:
            continue  # the version in the store, listed above
        elif current:
            status, detail = "superseded", "a later upload of the same name replaced it"
        elif entry.source in deleted_at:
            status, detail = "deleted", f"deleted {deleted_at[entry.source]}"
        else:
            status, detail = "removed", "no longer in the store"
        # The latest word on each version; a failed upload is keyed by its name and content.
        others[(entry.source or entry.name, entry.sha256)] = {
            "document": entry.name, "council": "", "committee": "", "meeting date": "", "kind": "", "passages": 0,
            "status": status, "detail": detail, "uploaded": entry.time, "source": entry.source}
    return rows + sorted(others.values(), key=lambda r: r["uploaded"], reverse=True)


def library_summary(documents: dict[str, ManifestEntry]) -> str:
    """"44 documents · 26 councils · 2011–2026": what the library holds, at a glance."""
    councils = {e.meta["council"] for e in documents.values() if e.meta.get("council")}
    years = sorted(e.meta["meeting_date"][:4] for e in documents.values() if e.meta.get("meeting_date"))
    parts = [f"{len(documents)} document{'s' if len(documents) != 1 else ''}",
             f"{len(councils)} council{'s' if len(councils) != 1 else ''}" if councils else None,
             (years[0] if years[0] == years[-1] else f"{years[0]}–{years[-1]}") if years else None]
    return " · ".join(p for p in parts if p)


def example_questions(entries: list[DecisionEntry], n: int = 3) -> list[str]:
    """Up to `n` questions the library can answer, from the titles of the items its decisions (`entries`,
    newest first) close: the newest of each council first, so the examples show its range. A title naming a
    meeting's minutes ("Minutes of the meeting held on 8 July") is no subject, nor is a single word
    ("Planning")."""
    found: list[tuple[str, str]] = []
    for entry in entries:
        title, council = item_title(entry.citation), entry.citation.council
        if council and title and len(title.split()) > 1 and not re.search(r"\bminutes\b", title, flags=re.I):
            found.append((council, f"What did {council} decide on “{title}”?"))
    firsts: dict[str, str] = {}
    for council, question in found:
        firsts.setdefault(council, question)
    return list(dict.fromkeys([*firsts.values(), *(q for _, q in found)]))[:n]


def item_title(citation: Citation) -> str | None:
    """The title of the agenda item a passage is under, when the record says it: a heading that starts with the
    item's own number ("18. OFSTED FOCUSED VISIT: CARE LEAVERS (Agenda Item 5)"; other headings are often a
    line inside the item, "In discussion the following points were made:"), or the title of a record that is
    one item, less the site's and the council's names ("Issue - meetings - Care Leavers: … - Northmoor …")."""
    for number in filter(None, (citation.minute, citation.item)):
        found = re.match(rf"\s*(?:minute|item)?\s*{re.escape(number)}(?![\w/])[.):]?\s+(.+)", citation.heading or "",
                         flags=re.I)
        if found:
            title = re.sub(r"\s*\((?:agenda\s+)?item\s+[\w.]+\)\s*$", "", found[1], flags=re.I).strip()
            if title and not title.endswith(":"):
                return title.capitalize() if title.isupper() else title  # "OFSTED FOCUSED VISIT" shouted
    if citation.item and citation.title:
        parts = [p.strip() for p in citation.title.split(" - ") if p.strip() and p.strip() != citation.council]
        return max(parts, key=len, default=None)
    return None


def decision_heading(citation: Citation) -> str:
    """"13 February 2024 · Northmoor Borough Council · Cabinet · item 9: Care Leavers: …", known parts only."""
    # A meeting of the whole council ("Parish Council") is the council itself, not a body of it.
    body = citation.committee if not (citation.committee and citation.council
                                      and citation.committee.lower() in citation.council.lower()) else None
    numbers = " · ".join(p for p in (f"minute {citation.minute}" if citation.minute else None,
                                     f"item {citation.item}" if citation.item else None) if p)
    title = item_title(citation)
    item = f"{numbers}: {title}" if numbers and title else numbers or title
    return " · ".join(p for p in (human_date(citation.meeting_date) if citation.meeting_date else None,
                                  citation.council, body, item) if p)


def decision_rows(entries: list[DecisionEntry]) -> list[dict]:
    rows = []
    for entry in entries:
        c = entry.citation
        rows.append({"date": c.meeting_date or "", "council": c.council or "", "body": c.committee or "",
                     "item": " ".join(p for p in (f"item {c.item}" if c.item else "",
                                                  f"minute {c.minute}" if c.minute else "") if p) or (c.title or ""),
                     "decision": c.text, "effect": entry.effect, "votes": entry.votes or "",
                     "citation": c.label()})
    return rows


# A cell starting with one of these a spreadsheet may run as a formula (tab and carriage return can hide one).
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def spreadsheet_safe(value):
    """`value`, with a leading ' when a spreadsheet would otherwise run it as a formula (CSV injection)."""
    return "'" + value if isinstance(value, str) and value.startswith(_FORMULA_START) else value


def csv_text(rows: list[dict], columns: list[str] | None = None) -> str:
    """Every CSV Clerk writes (the app's downloads, `clerk decisions --csv`), each cell spreadsheet-safe."""
    out = io.StringIO()
    columns = columns or (list(rows[0]) if rows else None)
    if columns:
        writer = csv.DictWriter(out, fieldnames=columns)
        writer.writeheader()
        for row in rows:
            writer.writerow({k: spreadsheet_safe(v) for k, v in row.items()})
    return out.getvalue()


def csv_bytes(rows: list[dict]) -> bytes:
    """UTF-8 with a byte-order mark, so spreadsheet programs read accents right."""
    return csv_text(rows).encode("utf-8-sig")


# "What was resolved / agreed / decided …?", "What did the Cabinet approve …?": a question that asks what a
# decision did, which the Ask page follows with the decisions on its topic. Narrower than query.DECISION_QUESTION:
# "Which councillors called in the decision …?" asks about a decision, not for one.
WHAT_WAS_DECIDED = re.compile(r"\bwhat\b[^?]*?\b(resolv\w*|decid(?:e|ed)|agreed?|approv(?:e|ed))\b", re.I)
# What a decision question is about: the words after "about" ("… resolved about care leavers?"), else after "on".
_ABOUT = (re.compile(r"\b(?:about|regarding|concerning)\s+(.+)$", re.I), re.compile(r"\b(?:on|over)\s+(.+)$", re.I))
_ASKING_WORDS = {"what", "which", "who", "when", "how", "why", "was", "were", "did", "do", "does", "has", "have", "had",
                 "is", "are", "be", "been", "the", "a", "an", "any", "there", "made", "taken", "council", "councillors"}


def decision_topic(question: str) -> str | None:
    """The topic a "what was resolved / agreed / decided" question asks about, to search the Decisions page for:
    "What was resolved about care leavers?" -> "care leavers". None when it names none ("What was agreed?")."""
    from .query import DECISION_QUESTION

    text = re.sub(r"[?!.\s]+$", "", " ".join(question.split()))
    after = next((found for pattern in _ABOUT if (found := pattern.search(text))), None)
    if after:
        words = after[1].split()
        while words and words[0].lower() in ("the", "a", "an"):
            words = words[1:]
    else:
        words = [w for w in DECISION_QUESTION.sub(" ", text).split() if w.lower() not in _ASKING_WORDS]
    return " ".join(words).strip(" ,;:") or None
