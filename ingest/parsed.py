"""What a parser returns: the pages, anything worth warning about, and hints from the format."""
from __future__ import annotations

from dataclasses import dataclass

from .records import Page, RecordMeta


@dataclass(frozen=True)
class Part:
    """One record of a file that holds many (a JSONL line), with metadata of its own."""

    key: str
    pages: tuple[Page, ...]
    meta: RecordMeta


@dataclass(frozen=True)
class Parsed:
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    title: str | None = None
    parts: tuple[Part, ...] = ()
    # What a structured format names itself (a JSON meeting's committee and date): it wins over what
    # is inferred from the text, and a sidecar wins over it.
    meta: RecordMeta | None = None
    running: tuple[str, ...] = ()  # lines repeated on most pages (running headers, footers), dropped from the pages
