"""A language model's reply held to the citation guarantees, sentence by sentence as it arrives.

A sentence is kept only if it cites at least one listed passage, every quotation in it stands
verbatim in a passage it cites, and what it asserts (numbers, amounts, dates, names, most of its
words) is in the passages it cites (claims.py). Markers naming passages that were not listed are removed. What is
kept is one sentence a line, like the extractive answer, so `citations.problems()` checks both."""
from __future__ import annotations

import html
import re
from collections.abc import Sequence
from dataclasses import replace

from ingest.chunk import is_heading
from ingest.lexical import tokenize
from ingest.text import sentences

from .answers import Answer, Citation
from .citations import MARKER, quote_in, quoted_spans
from .claims import unsupported

_MARKER_LIST = re.compile(r"\[(\d+(?:\s*[,;]\s*\d+)+)\]")  # "[1, 2]"
_MARKERS_AFTER_END = re.compile(r"\s*([.!?])([\"”’)]*)((?:\s*\[\d+\])+)")  # "noted. [2]": the marker belongs before the stop
_LIST_ITEM = re.compile(r"^\s*(?:[-*•]|\d{1,2}[.)])\s+")
_SPACE_BEFORE_STOP = re.compile(r"\s+([.,;:!?])")
_EMPHASIS = re.compile(r"(\*\*|__)(.+?)\1")  # Markdown bold: shown escaped, it would read as literal asterisks
_MIN_WORDS = 3  # a "sentence" of fewer words ("[2]", "Yes [1].") states nothing to check


def normalise_markers(text: str) -> str:
    """"[1, 2]" -> "[1] [2]", and markers after a full stop move before it, so that
    sentence splitting keeps each marker with the sentence it supports."""
    text = _MARKER_LIST.sub(lambda m: " ".join(f"[{n}]" for n in re.findall(r"\d+", m.group(1))), text)
    return _MARKERS_AFTER_END.sub(lambda m: m.group(2) + " " + " ".join(re.findall(r"\[\d+\]", m.group(3))) + m.group(1),
                                  text)


class ReplyChecker:
    """Feed it the reply piece by piece; it returns each sentence once complete and checked."""

    def __init__(self, citations: Sequence[Citation]):
        self._passages = {c.n: c for c in citations}
        self._pending = ""
        self._line_start = True
        self.kept: list[tuple[str, tuple[int, ...]]] = []
        self.dropped: list[str] = []

    def feed(self, piece: str) -> list[str]:
        self._pending += piece
        out = []
        while "\n" in self._pending:
            line, self._pending = self._pending.split("\n", 1)
            out += self._complete(self._tidy(line))
            self._line_start = True
        text = self._tidy(self._pending)
        spans = sentences(text)  # the last one may still be growing
        if len(spans) > 1:
            out += self._complete(text[:spans[-1][0]])
            self._pending, self._line_start = text[spans[-1][0]:], False
        return out

    def close(self) -> list[str]:
        out, self._pending = self._complete(self._tidy(self._pending)), ""
        return out

    def _tidy(self, text: str) -> str:
        """Without list bullets and numbers, with markers where sentence splitting keeps them."""
        return normalise_markers(_LIST_ITEM.sub("", text) if self._line_start else text)

    def _complete(self, text: str) -> list[str]:
        """The checked sentences of tidied text that ends where a sentence does."""
        return [kept for kept in (self._check(text[s:e]) for s, e in sentences(text)) if kept]

    def _check(self, sentence: str) -> str | None:
        # The passages were sent HTML-escaped (see llm.passage_block), so the model may echo "&amp;".
        sentence = _EMPHASIS.sub(r"\2", html.unescape(sentence)).strip()
        numbers = tuple(dict.fromkeys(int(n) for n in MARKER.findall(sentence) if int(n) in self._passages))
        cleaned = MARKER.sub(lambda m: m.group(0) if int(m.group(1)) in self._passages else "", sentence)
        cleaned = _SPACE_BEFORE_STOP.sub(r"\1", re.sub(r"\s{2,}", " ", cleaned)).strip()
        if not cleaned or cleaned in (text for text, _ in self.kept):  # small models repeat themselves
            return None
        cited = [self._passages[n] for n in numbers]
        if not numbers or len(MARKER.sub("", cleaned).split()) < _MIN_WORDS or any(
                not any(quote_in(q, c.text) for c in cited) for q in quoted_spans(cleaned)) \
                or unsupported(cleaned, cited):
            self.dropped.append(sentence)
            return None
        self.kept.append((cleaned, numbers))
        return cleaned

    def answer(self, extractive: Answer) -> Answer | None:
        """The checked answer over the same sources, or None when no sentence survived."""
        if not self.kept:
            return None
        citations = []
        for c in extractive.citations:
            claims = [text for text, numbers in self.kept if c.n in numbers]
            citations.append(replace(c, cited=bool(claims), supporting=supporting_sentence(c.text, claims) if claims else None))
        notice = None
        if self.dropped:
            notice = (f"{len(self.dropped)} sentence{'s' if len(self.dropped) > 1 else ''} of the language model's "
                      "reply left out: no listed passage supported it, a quotation was not in its passage, or it "
                      "stated what its passages do not say.")
        return replace(extractive, text="\n".join(text for text, _ in self.kept), citations=tuple(citations),
                       composer="llm", notice=notice)


def supporting_sentence(passage: str, claims: Sequence[str]) -> str:
    """The sentence of the passage that the claims rest on, for highlighting: the one holding a
    quotation from them if any, else the one sharing most (stemmed) words with them."""
    options = [paragraph[s:e].strip() for paragraph in passage.split("\n\n") if not is_heading(paragraph)
               for s, e in sentences(paragraph)] or [passage.strip()]
    for quote in (q for claim in claims for q in quoted_spans(claim)):
        for option in options:
            if quote_in(quote, option):
                return option
    wanted = set(tokenize([" ".join(MARKER.sub("", claim) for claim in claims)])[0])
    shared = [len(wanted & set(tokens)) for tokens in tokenize(options)]
    return options[shared.index(max(shared))]
