"""The citation guarantees, checked for every answer whatever composed it:
every [n] names a listed source; every sentence quoted with [n] stands verbatim in that source
(extractive answers), or every sentence cites a listed source and every quotation in it stands
verbatim there (answers a language model wrote); every listed source is either cited, with the
sentence of it that supports the answer, or left as further reading."""
from __future__ import annotations

import re

from ingest.text import collapse

from .answers import Answer

MARKER = re.compile(r"\[(\d+)\]")
_QUOTED = re.compile(r"“([^“”]+)”|\"([^\"]+)\"")
_ELLIPSIS = re.compile(r"\.\.\.|…")


def cited_numbers(text: str) -> set[int]:
    return {int(n) for n in MARKER.findall(text)}


def quoted_spans(text: str) -> list[str]:
    """The words a sentence presents as quoted: inside double quotation marks, curly or straight."""
    return [curly or straight for curly, straight in _QUOTED.findall(MARKER.sub("", text))]


def _loose(text: str) -> str:
    # White space and the style of apostrophes and quotation marks are typography, not wording.
    return collapse(text).replace("’", "'").replace("‘", "'").replace("“", '"').replace("”", '"')


def quote_in(quote: str, passage: str) -> bool:
    """Whether a quotation stands verbatim in a passage: each part of it (parts split at an
    ellipsis) appears there word for word; punctuation closing a part is the writer's."""
    parts = [p.strip(" .,;:!?") for p in _ELLIPSIS.split(quote)]
    parts = [p for p in parts if p]
    source = _loose(passage)
    return bool(parts) and all(_loose(p) in source for p in parts)


def problems(answer: Answer) -> list[str]:
    """What is wrong with an answer's citations; empty when every guarantee holds."""
    listed = {c.n: c for c in answer.citations}
    found = []
    for line in answer.text.split("\n"):
        numbers = MARKER.findall(line)
        for n in numbers:
            if int(n) not in listed:
                found.append(f"[{n}] cites a source that is not listed")
        if answer.abstained:
            continue
        if answer.composer == "llm":
            found += _written_line_problems(line, [listed[int(n)] for n in numbers if int(n) in listed])
        elif numbers and int(numbers[-1]) in listed:
            quote = MARKER.sub("", line).strip()
            source = collapse(listed[int(numbers[-1])].text)
            # A composed line may open with "At <body> on <date> (item n): " before the quotation.
            if collapse(quote) not in source and not (": " in quote and collapse(quote.split(": ", 1)[1]) in source):
                found.append(f"[{numbers[-1]}] does not contain: {quote[:80]}")
    in_text = cited_numbers(answer.text)
    for c in answer.citations:
        if c.cited and c.n not in in_text:
            found.append(f"[{c.n}] is listed as a source but no sentence cites it")
        if not c.cited and c.n in in_text:
            found.append(f"[{c.n}] is cited but listed as further reading")
        if c.cited and not (c.supporting and collapse(c.supporting) in collapse(c.text)):
            found.append(f"[{c.n}] carries no supporting sentence from its passage")
    return found


def _written_line_problems(line: str, sources: list) -> list[str]:
    """A written sentence paraphrases, so only its quotations can be checked word for word, and what
    it asserts against what its sources say (claims.py)."""
    from .claims import unsupported  # claims imports this module's MARKER

    if not line.strip():
        return []
    if not sources:
        return [f"no listed source supports: {line[:80]}"]
    found = [f"no cited source contains the quotation “{quote[:80]}”" for quote in quoted_spans(line)
             if not any(quote_in(quote, c.text) for c in sources)]
    if reason := unsupported(line, sources):
        found.append(f"{reason}: {line[:80]}")
    return found
