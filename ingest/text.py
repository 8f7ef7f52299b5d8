"""Pure text clean-up shared by every parser: white space, bullets, hard wraps, sentences.

Words are never changed; only the spaces and bullet glyphs between them.
"""
from __future__ import annotations

import re
from typing import Iterator

BULLET = "•"
# Bullet glyphs seen in council records (ModernGov "·", Word "•", Ofsted "◼", and friends).
_BULLET_CHARS = "·•◼▪■●◦‣∙"
_BULLET_LINE = re.compile(rf"^[ \t]*[{_BULLET_CHARS}][ \t]*")
_ODD_SPACES = re.compile(r"[\u00a0\u2000-\u200b\u202f\u205f\u3000\t\f\v]")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f]")
_LIST_MARKER = re.compile(r"^(\(?[0-9]{1,3}[.)]|\(?[a-z]{1,4}\)|\([ivx]{1,5}\)|[0-9]+\.[0-9]+\.?)\s")


def clean_spaces(text: str) -> str:
    """Unicode spaces to plain spaces, CRLF to LF, control characters dropped, lines right-trimmed."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = _CONTROL.sub("", _ODD_SPACES.sub(" ", text))
    return "\n".join(line.rstrip() for line in text.split("\n"))


def normalise_bullets(line: str) -> str:
    return _BULLET_LINE.sub(BULLET + " ", line) if _BULLET_LINE.match(line) else line


def starts_block(line: str) -> bool:
    """A line that begins a new paragraph even without a blank line before it: a bullet or list marker."""
    stripped = line.lstrip()
    return stripped.startswith(BULLET) or bool(_LIST_MARKER.match(stripped))


def paragraphs(text: str) -> list[str]:
    """Split text into paragraphs at blank lines, bullets and list markers.

    Single line breaks inside a paragraph are hard wraps and become spaces; a hyphen at a line
    end is kept and joined ("longer-\\nterm" -> "longer-term").
    """
    out: list[str] = []
    current: list[str] = []

    def flush() -> None:
        if current:
            joined = current[0]
            for line in current[1:]:
                joined += line if joined.endswith("-") and not joined.endswith(" -") else " " + line
            joined = re.sub(r"[ ]{2,}", " ", joined).strip()
            if joined:
                out.append(joined)
            current.clear()

    for raw in clean_spaces(text).split("\n"):
        line = normalise_bullets(raw.strip())
        if not line:
            flush()
            continue
        if starts_block(line):
            flush()
        current.append(line)
    flush()
    return out


def normalise(text: str) -> str:
    """Canonical form of a page: paragraphs separated by blank lines, white space collapsed."""
    return "\n\n".join(paragraphs(text))


def collapse(text: str) -> str:
    """Loose matching key: the same normalisation applied to both sides of a comparison."""
    text = clean_spaces(text)
    text = re.sub(rf"[{_BULLET_CHARS}]", BULLET, text)
    text = re.sub(r"-\s*\n\s*", "-", text)
    return re.sub(r"\s+", " ", text).strip()


_ABBREVIATIONS = {
    "no", "nos", "cllr", "cllrs", "mr", "mrs", "ms", "dr", "st", "res", "ord", "e.g", "i.e", "eg", "ie",
    "etc", "incl", "prop", "approx", "para", "paras", "ref", "vol", "cf", "inc", "ltd", "co", "rev", "prof", "sec", "fig",
    "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "hon", "op", "cit",
}
_SENTENCE_END = re.compile(r"(?<=[.!?])[\"”’)]*\s+(?=[\"“‘(]?[A-Z0-9£•])")


def paragraph_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of each blank-line-separated paragraph, surrounding whitespace left out."""
    spans, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block) + 2
    return spans


def sentences(paragraph: str) -> list[tuple[int, int]]:
    """Sentence spans (start, end) in a paragraph, kept verbatim so quotes can be checked later."""
    return list(iter_sentences(paragraph))


def iter_sentences(text: str, start: int = 0, end: int | None = None) -> Iterator[tuple[int, int]]:
    """The sentences of text[start:end], as `sentences` finds them in that slice, but with offsets into
    `text` and one at a time: a reader that needs the first few does not split (or copy) the rest."""
    end = len(text) if end is None else end
    for match in _SENTENCE_END.finditer(text, start, end):
        if match.start() == start:
            continue  # its look-behind reads before the slice, which has no character there
        # The sentence so far ends in ".", "!" or "?" (the pattern's look-behind). Only its last word is
        # read, walking back from the end: re-reading the whole of it at each candidate end took quadratic
        # time on "Item 1. Item 1. …", where no end is taken.
        stop = word = match.start()
        while word > start and not text[word - 1].isspace():
            word -= 1
        token = text[word:stop].strip("(\"'“‘[_*").rstrip(".").lower()
        # "No. 5", "Cllr. Smith", initials ("J. Smith") and list numbers ("1.") are not sentence ends.
        if token in _ABBREVIATIONS or len(token) == 1 or (token.isdigit() and _only_word(text, start, word)):
            continue
        closing = len(match.group()) - len(match.group().lstrip("\"”’)"))
        if text[start:match.start() + closing].strip():
            yield start, match.start() + closing
        start = match.end()
    if text[start:end].strip():
        while text[end - 1].isspace():
            end -= 1
        yield start, end


def _only_word(text: str, start: int, word: int) -> bool:
    """Whether text[start:word] is white space alone: walks back over it, not over the whole."""
    while word > start and text[word - 1].isspace():
        word -= 1
    return word == start


def word_count(text: str) -> int:
    return len(text.split())
