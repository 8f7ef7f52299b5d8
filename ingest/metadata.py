"""Infer a record's council, committee, meeting date, item and kind from its text (council and committee
in origin.py), and the date from its file name when the text gives none.

Pure functions. A field the record does not state stays None; sidecar files fill the gaps.
"""
from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import PurePath

from assistant.councils import canonical

from .dates import find_dates
from .origin import cover_date, record_committee, record_council, title_date
from .records import Page, RecordMeta

_DECISION_PAGE = re.compile(r"^(?:Decision status|Decision Maker|Is Key decision\?|Date of decision):", re.M)
_DECIDED_ON = re.compile(r"^(?:Date of decision|Decided at meeting|Date of meeting|Meeting date):\s*([^\n]{6,40})",
                         re.I | re.M)
_INSPECTION_DATES = re.compile(r"Inspection dates?:\s*([^\n]{4,80})", re.I)
_MODERNGOV_MEETING = re.compile(r"Meeting:\s*(\d{1,2}/\d{1,2}/\d{4})\s*-\s*([^\n]+?)\s*\(Item\s+([\w.]+)\)", re.I)
_HELD = re.compile(r"\bheld\b", re.I)
_LABEL_PAGES = re.compile(r"^(agenda item|issue - meetings|decision details|agenda and minutes)$", re.I)

_INSPECTION = re.compile(
    r"Inspection of .{0,80}(local\s+authority|services for children)|Inspection dates?:|focused visit to|"
    r"monitoring visit to|Ofsted\s+inspection\s+report|Children’s services in .{2,40} are", re.I | re.S)
_DECISION = re.compile(r"^\s*(Decision details|Record of (?:Executive |Officer |Delegated )?Decision|Decision Notice)", re.I | re.M)
_MINUTES = re.compile(r"^Minutes:?$|\bminutes of\b|\bRESOLVED\b|\bapologies\b|\bCity Record\b|\bproceedings\b", re.I | re.M)


def infer_kind(head: str) -> str:
    """The record's kind from its opening: inspection reports and decision notices announce
    themselves at the top; minutes carry a "Minutes" label, RESOLVED blocks or apologies."""
    top = head[:800]
    first = top.split("\n\n", 1)[0].strip()
    if _DECISION_PAGE.search(top):
        return "decision"  # a ModernGov decision page ("Decision status: …", "Date of decision: …")
    if (_LABEL_PAGES.match(first) or _MODERNGOV_MEETING.search(top)) and _MINUTES.search(head):
        return "minutes"  # a ModernGov item page, even when its minutes talk about an inspection
    if _INSPECTION.search(top):
        return "inspection_report"
    if _DECISION.search(top):
        return "decision"
    if re.search(r"\bminutes\b", first, re.I) and not re.search(r"\bminutes of (?:the )?(?:last|previous)\b", first, re.I):
        return "minutes"  # a title that says so, before an item's name ("Housing Action Plan") can say otherwise
    if re.search(r"\b(action plan|improvement plan|plan tracker)\b", top[:300], re.I):
        return "action_plan"
    if _MINUTES.search(head):
        return "minutes"
    if re.search(r"\bagenda\b", top, re.I):
        return "agenda"
    if re.search(r"\breport\b", top, re.I):
        return "report"
    return "other"


def _first_date(text: str) -> str | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


def infer_title(pages: tuple[Page, ...], hinted: str | None) -> str | None:
    """ModernGov item pages open with a page label ("Agenda item") and then the item's title."""
    paragraphs = pages[0].text.split("\n\n") if pages else []
    if len(paragraphs) > 1 and _LABEL_PAGES.match(paragraphs[0].strip()) and len(paragraphs[1].split()) <= 20:
        return paragraphs[1].strip()
    return hinted


def infer_metadata(name: str, pages: tuple[Page, ...], title: str | None = None,
                   running: tuple[str, ...] = ()) -> RecordMeta:
    """Metadata the record states about itself on its first pages and in its running headers
    (`running`, the lines its parser dropped as repeated), or (for the date only) an ISO date in its
    file name. The file name never gives the council: names are whatever whoever saved it chose."""
    head = "\n".join(p.text for p in pages[:2])[:6000]
    council = record_council(pages, running)
    committee = meeting_date = item = None

    moderngov = _MODERNGOV_MEETING.search(head)
    if moderngov:
        meeting_date = _first_date(moderngov.group(1))
        committee, item = canonical(moderngov.group(2)), moderngov.group(3)
    decided = _DECIDED_ON.search(head)
    if not meeting_date and decided:  # a ModernGov decision page: "Date of decision: 19/10/2015"
        meeting_date = _first_date(decided.group(1))
    if not meeting_date:
        held = _HELD.search(head[:500])  # the meeting's own date is stated at the top
        meeting_date = _first_date(head[held.end(): held.end() + 80]) if held else None
    meeting_date = meeting_date or cover_date(pages)  # "To: Cabinet – 30 January 2025"
    inspection = _INSPECTION_DATES.search(head)
    if not meeting_date and inspection:
        # "26 February 2018–22 March 2018 Report published: 16 May 2018": the publication is not the inspection
        dates = find_dates(re.split(r"(?i)\b(?:report )?published\b|\blead inspector\b", inspection.group(1))[0])
        meeting_date = dates[-1][1] if dates else None  # the last day of the inspection
    meeting_date = meeting_date or title_date(pages, running)
    if not meeting_date:
        from_name = re.search(r"(?<!\d)(\d{4}-\d{2}-\d{2})(?!\d)", PurePath(name).name)
        meeting_date = _first_date(from_name.group(1)) if from_name else None
    committee = committee or record_committee(pages, running, council)
    return RecordMeta(council=council, committee=committee, meeting_date=meeting_date, item=item,
                      title=infer_title(pages, title), kind=infer_kind(head))


FOLDER_MANIFESTS = ("clerk.toml", "clerk.csv")  # metadata for the records of one folder


_NUMBERED = {"item", "minute", "agenda_position"}  # fields a number may state: item = 5 in a TOML


def meta_from_fields(data: dict) -> tuple[RecordMeta, list[str]]:
    """Stated metadata (a sidecar's or a folder manifest's): the fields it states win over what was
    inferred. Returns the metadata and the fields not used, for a warning: those Clerk does not know,
    and those of the wrong type ("council (not text: list)", "meeting_date (not a date: 'yesterday')"),
    which would otherwise be stored as "['a']" or dropped without a word."""
    known = set(RecordMeta.__dataclass_fields__)
    values: dict[str, str | None] = {}
    unused = sorted(set(data) - known)
    for key in sorted(known & set(data)):
        value = data[key]
        if key == "meeting_date" and value is not None:
            date = _first_date(str(value)) if isinstance(value, (str, dt.date)) else None
            if date is None:
                unused.append(f"meeting_date (not a date: {str(value)[:40]!r})")
            values[key] = date
        elif value is None or isinstance(value, str) or (key in _NUMBERED and type(value) is int):
            values[key] = str(value).strip() or None if value is not None else None
        else:
            unused.append(f"{key} (not text: {type(value).__name__})")
    values["council"] = canonical(values.get("council"))  # "Surrey" is stated for Surrey County Council
    return RecordMeta(**values), unused


def meta_from_sidecar(raw: bytes) -> tuple[RecordMeta, list[str]]:
    """A `NAME.meta.json` beside a record."""
    data = json.loads(raw.decode("utf-8"))
    if not isinstance(data, dict):
        raise ValueError("sidecar must hold a JSON object")
    return meta_from_fields(data)


def folder_manifest(name: str, raw: bytes) -> dict[str, dict]:
    """A folder's `clerk.toml` or `clerk.csv`: fields per file name, "*" for every file of the folder.

    clerk.toml:  [defaults] council = "…"  and  [files."minutes.pdf"] meeting_date = "2024-05-13"
    clerk.csv:   a `file` column (a name, or * for every file) and a column per field."""
    text = raw.decode("utf-8-sig")
    if name.endswith(".toml"):
        import tomllib

        data = tomllib.loads(text)
        files, defaults = data.get("files", {}), data.get("defaults", {})
        if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
            raise ValueError('[files."NAME"] tables are expected')
        if not isinstance(defaults, dict):
            raise ValueError("a [defaults] table is expected")
        return {"*": dict(defaults), **{k: dict(v) for k, v in files.items()}}
    import csv

    rows = list(csv.DictReader(text.splitlines()))
    if rows and "file" not in rows[0]:
        raise ValueError("a `file` column is expected")
    longer = next((number for number, row in enumerate(rows, start=1) if None in row), None)  # DictReader's key for extras
    if longer:
        raise ValueError(f"row {longer} has more cells than the header")
    return {row["file"].strip(): {k: v for k, v in row.items() if k != "file" and v} for row in rows}
