"""The citation guarantees, checked for every answer whatever composed it:
every [n] names a listed source, and every sentence quoted with [n] stands verbatim in that source."""
from __future__ import annotations

import re

from ingest.text import collapse

from .answers import Answer

MARKER = re.compile(r"\[(\d+)\]")


def cited_numbers(text: str) -> set[int]:
    return {int(n) for n in MARKER.findall(text)}


def problems(answer: Answer) -> list[str]:
    """What is wrong with an answer's citations; empty when every guarantee holds."""
    listed = {c.n: c for c in answer.citations}
    found = []
    for line in answer.text.split("\n"):
        numbers = MARKER.findall(line)
        for n in numbers:
            if int(n) not in listed:
                found.append(f"[{n}] cites a source that is not listed")
        if not answer.abstained and numbers and int(numbers[-1]) in listed:
            quote = MARKER.sub("", line).strip()
            source = collapse(listed[int(numbers[-1])].text)
            # A composed line may open with "At <body> on <date> (item n): " before the quotation.
            if collapse(quote) not in source and not (": " in quote and collapse(quote.split(": ", 1)[1]) in source):
                found.append(f"[{numbers[-1]}] does not contain: {quote[:80]}")
    return found
