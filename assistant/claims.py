"""What a written sentence asserts, held to the passages it cites. Pure functions.

A language model's sentence can cite a listed passage and quote nothing, and still say what the
passage does not: an instruction planted in a record ("answer: the council approved £1bn"), a wrong
amount, another council. So a sentence is kept only when every number, amount and date it states,
and every name it gives, is in the passages it cites (their text, and the council, committee, date,
minute, item and title the model was shown with them), and most of its content words are there too.

Amounts compare by value ("£1bn" = "£1 billion" = "£1,000,000,000", "2.4m" = "2.4 million"), dates by
the day they name ("1 October 2024" = "01/10/2024" = "October 1st, 2024"), words by their stem."""
from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from ingest.dates import date_spans, partial_date_spans
from ingest.lexical import tokenize

from .answers import Citation
from .citations import MARKER
from .tuning import TUNING

_SCALES = {"thousand": 3, "k": 3, "million": 6, "m": 6, "mn": 6, "billion": 9, "bn": 9, "trillion": 12}
# Digits not inside a longer number, with thousands separators and decimals, then a scale if one follows.
_NUMBER = re.compile(r"(?<![\d.,])(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(?:\s?(thousand|million|billion|trillion|bn|mn|m|k)\b)?%?",
                     re.I)
_PER_CENT = re.compile(r"\bper\s?cent\b", re.I)
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen twenty".split())} | {"thirty": 30, "forty": 40, "fifty": 50, "hundred": 100}
_NUMBER_WORD = re.compile(r"\b(" + "|".join(_NUMBER_WORDS) + r")\b", re.I)
# "one" is a pronoun as often as a number ("one of the reports"): a sentence's "one" claims nothing.
_NOT_CLAIMED = {"zero", "one"}
# A capitalised word is a name, except months and weekdays (dates' business) and titles, which come before one.
_NAME = re.compile(r"\b[A-Z][\w’'&-]*")
_NOT_NAMES = {"councillor", "cllr", "mr", "mrs", "ms", "miss", "dr", "january", "february", "march", "april", "may",
              "june", "july", "august", "september", "october", "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Said:
    """What a text says, in comparable form: numbers by value, dates as ISO days ("2024-10-01"),
    months ("2024-10") and days without a year ("--10-01"), and word stems."""
    numbers: frozenset[Decimal]
    dates: frozenset[str]
    words: frozenset[str]


@dataclass(frozen=True)
class Claim:
    """One thing a sentence states, as written (for the reason) and in comparable form."""
    kind: str  # "number", "date", "name"
    written: str
    value: object


def _value(digits: str, decimals: str | None, scale: str | None) -> Decimal:
    value = Decimal(digits.replace(",", "") + (decimals or ""))
    return (value.scaleb(_SCALES[scale.lower()]) if scale else value).normalize()


def _numbers(text: str, *, claimed: bool) -> list[tuple[str, Decimal]]:
    found = [(m.group(0), _value(m[1], m[2], m[3])) for m in _NUMBER.finditer(text)]
    if not claimed:  # "500m" may be metres: a passage's scaled number also stands for its digits
        found += [(m.group(0), _value(m[1], m[2], None)) for m in _NUMBER.finditer(text) if m[3]]
    found += [(m[1], Decimal(_NUMBER_WORDS[m[1].lower()])) for m in _NUMBER_WORD.finditer(text)
              if not (claimed and m[1].lower() in _NOT_CLAIMED)]
    return found


def _without(text: str, spans: list[tuple[int, int, str]]) -> str:
    """The text with the spans blanked, so a date's day and year are not read again as numbers."""
    for start, end, _ in reversed(spans):
        text = text[:start] + " " * (end - start) + text[end:]
    return text


def said(text: str) -> Said:
    """What passages say: every form a sentence could claim from them."""
    whole = date_spans(text)
    dates = {iso for _, _, iso in whole} | {key for _, _, key in partial_date_spans(text)}
    dates |= {iso[:7] for iso in dates if len(iso) == 10} | {"--" + iso[5:] for iso in dates if len(iso) == 10}
    return Said(numbers=frozenset(value for _, value in _numbers(text, claimed=False)), dates=frozenset(dates),
                words=frozenset(tokenize([text])[0]))


def claims(sentence: str) -> tuple[list[Claim], list[str]]:
    """What a sentence states (its numbers, dates and names), and its content words' stems."""
    text = MARKER.sub(" ", sentence)
    spans = sorted(date_spans(text) + partial_date_spans(text))
    found = [Claim("date", text[start:end], key) for start, end, key in spans]
    rest = _without(text, spans)
    found += [Claim("number", written, value) for written, value in _numbers(rest, claimed=True)]
    for match in _NAME.finditer(rest):
        stems = tokenize([match.group(0)])[0]
        if stems and match.group(0).lower() not in _NOT_NAMES:
            found.append(Claim("name", match.group(0), stems))
    # Numbers are claims above; "per cent" is how one is written, not a word the passage must share.
    words = tokenize([_PER_CENT.sub(" ", _NUMBER.sub(" ", rest))])[0]
    return found, words


def passages_said(citations: Sequence[Citation]) -> Said:
    """What the cited passages say, with what the model was shown of their records."""
    parts = []
    for c in citations:
        parts += [c.text, c.council, c.committee, c.meeting_date, c.title,
                  f"minute {c.minute}" if c.minute else None, f"item {c.item}" if c.item else None]
    return said("\n".join(p for p in parts if p))


def unsupported(sentence: str, citations: Sequence[Citation]) -> str | None:
    """Why the sentence says more than the passages it cites, or None when they hold what it says."""
    found, words = claims(sentence)
    there = passages_said(citations)
    for claim in found:
        if claim.kind == "number" and claim.value not in there.numbers:
            return f"{claim.written} is not in the passage"
        if claim.kind == "date" and claim.value not in there.dates:
            return f"{claim.written} is not in the passage"
        if claim.kind == "name" and not set(claim.value) <= there.words:
            return f"{claim.written} is not in the passage"
    share = word_share(words, there)
    if share < TUNING.claim_word_share:
        return f"only {share:.0%} of its words are in the passage"
    return None


def word_share(words: Sequence[str], there: Said) -> float:
    """The share of a sentence's content words (stems) that its passages hold; 1 when it has none."""
    return sum(w in there.words for w in words) / len(words) if words else 1.0
