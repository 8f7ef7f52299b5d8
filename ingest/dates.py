"""Find and read the date formats council records use. Pure functions."""
from __future__ import annotations

import re
from datetime import date, datetime, timezone

_MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
     "november", "december"], start=1)}
_MONTHS.update({name[:3]: i for name, i in list(_MONTHS.items())})
_MONTHS["sept"] = 9
_MONTH_RE = r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"

# Dates written out in words, as the Cleveland City Record dates its issues: "January the Twenty-Fourth,
# Two Thousand and Eighteen".
_NUMBER_WORDS = {w: i for i, w in enumerate(
    "zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen sixteen "
    "seventeen eighteen nineteen".split())} | {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50}
_ORDINAL_WORDS = {w: i for i, w in enumerate(
    "zeroth first second third fourth fifth sixth seventh eighth ninth tenth eleventh twelfth thirteenth fourteenth "
    "fifteenth sixteenth seventeenth eighteenth nineteenth".split())} | {"twentieth": 20, "thirtieth": 30}
_WORDS = r"(?:(?:twenty|thirty|forty|fifty)[- ])?[a-z]+"  # "Seventh", "Twenty-Fourth", "Eighteen"


def _in_words(words: str, table: dict[str, int]) -> str:
    """"Twenty-Fourth" -> "24", "Eighteen" -> "18"; "0" when a word is not a number."""
    parts = re.split(r"[- ]", words.lower())
    tens = _NUMBER_WORDS.get(parts[0], 0) if len(parts) == 2 and parts[0] in ("twenty", "thirty", "forty", "fifty") else 0
    last = table.get(parts[-1]) if len(parts) == 1 or tens else None
    return str(tens + last) if last is not None else "0"


_PATTERNS = [
    # 2021-06-08, and the date of a timestamp: 2021-06-08T18:30:00
    (re.compile(r"\b(\d{4})-(\d{2})-(\d{2})(?:\b|(?=T\d))"), lambda m: (m[1], m[2], m[3])),
    # 26/01/2021, 22&#47;10&#47;2015 once unescaped, 27.08.19
    (re.compile(r"\b(\d{1,2})[/.](\d{1,2})[/.](\d{4}|\d{2})\b"), lambda m: (m[3], m[2], m[1])),
    # 8 June 2021, Tuesday 2nd April 2019, 4TH MAY 2020
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I),
     lambda m: (m[3], m[2], m[1])),
    # MAY 4TH 2020, June 8, 2021
    (re.compile(rf"\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})\b", re.I),
     lambda m: (m[3], m[1], m[2])),
    # 2024 March 5, as Calgary dates its council's minutes ("Tuesday, 2024 March 5, 9:30 AM")
    (re.compile(rf"\b(\d{{4}}),?\s+({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*(?:,\s*)?\d{{4}})", re.I),
     lambda m: (m[1], m[2], m[3])),
    # 08-Jan-20
    (re.compile(rf"\b(\d{{1,2}})-({_MONTH_RE})-(\d{{2}}|\d{{4}})\b", re.I), lambda m: (m[3], m[2], m[1])),
    # THIS 12TH DAY OF JANUARY, 2011
    (re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+day\s+of\s+({_MONTH_RE}),?\s+(\d{{4}})\b", re.I),
     lambda m: (m[3], m[2], m[1])),
    # January the Twenty-Fourth, Two Thousand and Eighteen
    (re.compile(rf"\b({_MONTH_RE})\s+the\s+({_WORDS}),?\s+two\s+thousand(?:\s+and)?\s+({_WORDS})\b", re.I),
     lambda m: (str(2000 + int(_in_words(m[3], _NUMBER_WORDS))), m[1], _in_words(m[2], _ORDINAL_WORDS))),
]


def _to_iso(year: str, month: str, day: str) -> str | None:
    y = int(year)
    if y < 100:
        y += 2000 if y < 70 else 1900
    m = int(month) if month.isdigit() else _MONTHS.get(month.lower().rstrip("."))
    try:
        return date(y, m, int(day)).isoformat() if m and 1900 < y < 2100 else None
    except ValueError:
        return None


def date_spans(text: str) -> list[tuple[int, int, str]]:
    """Every date in the text as (start, end, ISO date), in order of position."""
    found: dict[int, tuple[int, str]] = {}
    for pattern, parts in _PATTERNS:
        for match in pattern.finditer(text):
            iso = _to_iso(*parts(match))
            if iso and not any(abs(match.start() - pos) < 3 for pos in found):
                found[match.start()] = (match.end(), iso)
    return [(start, end, iso) for start, (end, iso) in sorted(found.items())]


def find_dates(text: str) -> list[tuple[int, str]]:
    """Every date in the text as (position, ISO date), in order of position."""
    return [(start, iso) for start, _, iso in date_spans(text)]


def parse_date(text: str) -> str | None:
    """The first date in a string, or None. Used for user input (`--since 2021-01-01`) and fields."""
    dates = find_dates(text)
    return dates[0][1] if dates else None


def field_date(value) -> str | None:
    """A structured record's date field: text as `parse_date` reads it, or epoch seconds or
    milliseconds, which some exports and scrapers give instead."""
    if isinstance(value, bool) or not value:
        return None
    if isinstance(value, (int, float)):
        seconds = value / 1000 if value > 10_000_000_000 else value
        try:
            return datetime.fromtimestamp(seconds, tz=timezone.utc).date().isoformat() if seconds > 0 else None
        except (OverflowError, OSError, ValueError):  # 1e20, Infinity: past any calendar, so no date
            return None
    return parse_date(str(value))


_MONTH_YEAR = re.compile(rf"\b({_MONTH_RE})\.?,?\s+(\d{{4}})\b", re.I)  # December 2024
_DAY_MONTH = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+(?:of\s+)?({_MONTH_RE})\b\.?"  # 1 January
                        rf"|\b({_MONTH_RE})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\b(?!\s*\d)", re.I)  # January 1


def partial_date_spans(text: str) -> list[tuple[int, int, str]]:
    """Dates written without a day or a year, as (start, end, key): "December 2024" -> "2024-12",
    "1 January" and "January 1st" -> "--01-01". Spans inside a whole date (date_spans) are left out."""
    whole = [(start, end) for start, end, _ in date_spans(text)]
    found = []
    for match in _MONTH_YEAR.finditer(text):
        month = _MONTHS[match[1].lower().rstrip(".")]
        if 1900 < int(match[2]) < 2100:
            found.append((match.start(), match.end(), f"{match[2]}-{month:02d}"))
    for match in _DAY_MONTH.finditer(text):
        day, month = (match[1], match[2]) if match[1] else (match[4], match[3])
        if 1 <= int(day) <= 31:
            found.append((match.start(), match.end(), f"--{_MONTHS[month.lower().rstrip('.')]:02d}-{int(day):02d}"))
    return sorted(span for span in found if not any(s <= span[0] < e for s, e in whole))
