"""Plain text and Markdown records: bytes in, one page out."""
from __future__ import annotations

import re

from .errors import ParseError
from .parsed import Parsed
from .records import Page
from .text import normalise

_FRONT_MATTER = re.compile(r"\A---\n(.*?)\n---\n", re.S)
_MD_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")
_MD_HEADING = re.compile(r"^#{1,6}\s+", re.M)
_MD_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!|>])")


def decode(data: bytes) -> tuple[str, list[str]]:
    """Bytes to text. UTF-8 first; legacy Windows-1252 (a superset of Latin-1 in practice) as a
    fallback with a warning, because old council exports often are; binary content is refused."""
    if not data.strip():
        raise ParseError("file is empty")
    sample = data[:8192]
    if b"\x00" in sample or sum(b < 9 or 13 < b < 32 for b in sample) > len(sample) // 20:
        raise ParseError("binary content, not text")
    try:
        return data.decode("utf-8-sig"), []
    except UnicodeDecodeError as exc:
        warning = f"not valid UTF-8 (byte {exc.start}); read as Windows-1252/Latin-1"
        return data.decode("cp1252", errors="replace"), [warning]


def parse_text(data: bytes) -> Parsed:
    text, warnings = decode(data)
    return Parsed(pages=(Page(1, normalise(text)),), warnings=tuple(warnings))


def parse_markdown(data: bytes) -> Parsed:
    text, warnings = decode(data)
    title = None
    front = _FRONT_MATTER.match(text.replace("\r\n", "\n"))
    if front:
        # Front matter `date:` is when a page was posted, not the meeting: only the title is kept.
        found = re.search(r"^title:\s*\"?(.*?)\"?\s*$", front.group(1), re.M)
        title = found.group(1).strip() if found else None
        text = text.replace("\r\n", "\n")[front.end():]
    text = _MD_ESCAPE.sub(r"\1", _MD_EMPHASIS.sub(r"\2", _MD_HEADING.sub("", text)))
    return Parsed(pages=(Page(1, normalise(text)),), warnings=tuple(warnings), title=title)
