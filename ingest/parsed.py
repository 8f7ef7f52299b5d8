"""What a parser returns: the pages, anything worth warning about, and hints from the format."""
from __future__ import annotations

from dataclasses import dataclass

from .records import Page


@dataclass(frozen=True)
class Parsed:
    pages: tuple[Page, ...]
    warnings: tuple[str, ...] = ()
    title: str | None = None
