"""Bulk records that scrapers already produce: one JSON object a line, with a text field and
metadata fields. Each line becomes its own part of the file, with its own metadata."""
from __future__ import annotations

import json
import re

from assistant.councils import canonical

from .dates import field_date
from .errors import ParseError
from .metadata import infer_kind
from .parse_text import decode
from .parsed import Parsed, Part
from .records import Page, RecordMeta
from .text import normalise

# Field names tried in order when no mapping is given; a mapping (`text=body,date=held_on`) wins.
DEFAULT_FIELDS = {
    "key": ("id", "chunk_id", "doc_id", "item_id", "uid"),
    "text": ("text", "body", "content", "minutes", "minutes_text"),
    "council": ("council", "council_name", "authority", "organisation"),
    "committee": ("committee", "committee_name", "body_name", "committee_title", "committee_id"),
    "meeting_date": ("meeting_date", "date", "meetingdate", "held_on"),
    "item": ("item", "item_number", "agenda_item", "minute_number"),
    "title": ("title", "item_title", "heading"),
    "kind": ("kind", "document_kind", "type"),
}
# Scraper ids like "kent_cc_7393" name the council by slug and council type.
_COUNCIL_SLUG = re.compile(r"^([a-z]+(?:_[a-z]+)*?)_(cc|bc|dc|mbc|pc|tc)_\d+")
_SLUG_TYPES = {"cc": "County Council", "bc": "Borough Council", "dc": "District Council",
               "mbc": "Metropolitan Borough Council", "pc": "Parish Council", "tc": "Town Council"}


def parse_mapping(spec: str | None) -> dict[str, str]:
    """"text=body,meeting_date=held_on" -> {"text": "body", "meeting_date": "held_on"}."""
    mapping = {}
    for pair in (spec or "").split(","):
        if pair.strip():
            ours, _, theirs = pair.partition("=")
            if ours.strip() not in DEFAULT_FIELDS or not theirs.strip():
                raise ValueError(f"bad JSONL mapping {pair!r}: use FIELD=name with FIELD one of {', '.join(DEFAULT_FIELDS)}")
            mapping[ours.strip()] = theirs.strip()
    return mapping


def _pick(record: dict, name: str, mapping: dict[str, str]):
    for field in ([mapping[name]] if name in mapping else DEFAULT_FIELDS[name]):
        if record.get(field) not in (None, ""):
            return record[field]
    return None


def _committee(value) -> str | None:
    if not value:
        return None
    text = str(value)
    return text.replace("-", " ").replace("_", " ").title() if re.fullmatch(r"[a-z0-9_-]+", text) else text


def _duplicate(key: str, number: int, first: int, first_key: str) -> ParseError:
    """Two records stored under one id: the second would overwrite the first's passages, and Chroma
    refuses both in one write. `first_key` differs from `key` when both become one once made safe."""
    spelt = "" if first_key == key else f' ("{first_key[:80]}" there)'
    return ParseError(f'duplicate id "{key[:80]}" on lines {first}{spelt} and {number}: each record needs its own id')


def parse_jsonl(data: bytes, mapping: dict[str, str] | None = None) -> Parsed:
    text, warnings = decode(data)
    mapping = mapping or {}
    parts: list[Part] = []
    seen: dict[str, tuple[int, str]] = {}  # each part's key: the line and id it came from
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except ValueError:
            warnings.append(f"line {number}: not JSON, skipped")
            continue
        body = _pick(record, "text", mapping) if isinstance(record, dict) else None
        if not isinstance(body, str) or not body.strip():
            warnings.append(f"line {number}: no text field, skipped")
            continue
        key = str(_pick(record, "key", mapping) or f"line{number}")
        part_key = re.sub(r"[^\w.-]", "_", key)
        if part_key in seen:  # refused whole, before any record of the file is replaced
            raise _duplicate(key, number, *seen[part_key])
        seen[part_key] = (number, key)
        council = _pick(record, "council", mapping)
        if not council:
            slug = _COUNCIL_SLUG.match(str(record.get("meeting_id") or key))
            council = f"{slug.group(1).replace('_', ' ').title()} {_SLUG_TYPES[slug.group(2)]}" if slug else None
        page_text = normalise(body)
        title = _pick(record, "title", mapping) or page_text.split("\n\n", 1)[0][:200]  # title-then-text bodies
        meta = RecordMeta(council=canonical(str(council)) if council else None, committee=_committee(_pick(record, "committee", mapping)),
                          meeting_date=field_date(_pick(record, "meeting_date", mapping)),
                          item=str(_pick(record, "item", mapping) or "") or None, title=title,
                          kind=str(_pick(record, "kind", mapping) or "") or infer_kind(page_text))
        parts.append(Part(part_key, (Page(1, page_text),), meta))
    if not parts:
        raise ParseError("no records with text" + (f" ({warnings[0]})" if warnings else ""))
    return Parsed(pages=(), warnings=tuple(warnings), parts=tuple(parts))
