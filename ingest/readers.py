"""Pick the parser for a record by its file type."""
from __future__ import annotations

from pathlib import PurePath
from typing import Callable

from .errors import ParseError
from .parse_html import parse_html
from .parse_json import parse_json
from .parse_jsonl import parse_jsonl
from .parse_pdf import parse_pdf
from .parse_text import parse_markdown, parse_text
from .parsed import Parsed

PARSERS: dict[str, Callable[[bytes], Parsed]] = {
    ".txt": parse_text,
    ".text": parse_text,
    ".md": parse_markdown,
    ".markdown": parse_markdown,
    ".html": parse_html,
    ".htm": parse_html,
    ".pdf": parse_pdf,
    ".json": parse_json,
    ".jsonl": parse_jsonl,
}


def is_supported(name: str) -> bool:
    """A `NAME.meta.json` sidecar is not a record: it states the metadata of the file beside it."""
    return PurePath(name).suffix.lower() in PARSERS and not name.endswith(".meta.json")


def parse_bytes(name: str, data: bytes, jsonl_mapping: dict[str, str] | None = None) -> Parsed:
    suffix = PurePath(name).suffix.lower()
    if suffix == ".jsonl":
        return parse_jsonl(data, jsonl_mapping)
    parser = PARSERS.get(suffix)
    if parser is None:
        raise ParseError(f"unsupported file type {suffix or '(none)'}")
    return parser(data)
