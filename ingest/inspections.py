"""Ofsted inspections of a council's children's services as records: the council, the inspection's first
and last day, its type, the lead inspector, each graded judgement and each "what needs to improve" point.

Pure functions over a report's parsed pages, reading only what the report prints. Two layouts:
ILACS reports (2018 on) print a "Judgement | Grade" table and "What needs to improve?" bullets; the old
SIF reports (2017-18) print "Children's services in X are good", numbered judgements and numbered
"Recommendations". A field the report does not print stays None: a 2026 report has no overall grade.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from .dates import find_dates
from .origin import record_council
from .records import Page

GRADES = ("outstanding", "good", "requires improvement to be good", "inadequate")
OVERALL = "Overall effectiveness"

# Grades as printed: capitalised in tables ("Requires Improvement" in SIF reports), so the lower-case
# words of a sentence ("… are judged good") never read as a table cell.
_GRADE = r"(Requires\s+[Ii]mprovement(?:\s+to\s+be\s+good)?|Inadequate|Good|Outstanding)\b"
# An ILACS table row: a judgement's label as the framework words it, then its grade.
_ILACS_ROW = re.compile(rf"\s*((?:The impact of leaders|The experiences and progress of|{OVERALL})[^.]{{0,120}}?)"
                        rf"\s+{_GRADE}")
# A SIF row: "2.1 Adoption performance Outstanding".
_SIF_ROW = re.compile(rf"\s*\d(?:\.\d)?\.?\s+([A-Z][^.\d]{{3,100}}?)\s+{_GRADE}")
_SIF_HEADLINE = re.compile(r"Children[’']s services in .{2,60}? (?:are|is|requires?) "
                           r"(inadequate|good|outstanding|(?:requires? )?improvement to be good)\b", re.S)
_TABLE_START = re.compile(r"Judgement\s+Grade")
_DATES = re.compile(r"Inspection dates?:\s*(.{4,100}?)\s*(?=Report published|Lead inspector|Judgement|\n\n|$)", re.S)
# A visit's letter says it in prose: "the focused visit to X children's services on 16 and 17 April 2024".
_VISIT_DATES = re.compile(r"\bvisit to .{0,100}? on (\d{1,2}(?: [A-Z][a-z]+)?(?: (?:and|to) \d{1,2})? [A-Z][a-z]+ \d{4})", re.S)
# "Lead inspector: Linda Steele HMI": the title is not part of the name.
_NAME = r"([A-Z][\w'’.-]+(?:[ ](?!HMI\b)[A-Z][\w'’.-]+){0,3})"
_LEAD = re.compile(rf"^Lead inspector:\s*{_NAME}", re.M)
_SIGNED = re.compile(rf"Yours sincerely\s+{_NAME}\s+(?:His|Her) Majesty[’']s Inspector")  # a visit's letter
_FIRST_DAY = re.compile(r"(\d{1,2})(?:st|nd|rd|th)?\s+(?:(?!and\b|to\b)([A-Za-z]{3,9})\s+)?(\d{4})?")

# Each type as its report's title names it, most specific first: a SIF "Re-inspection of services for
# children in need of help and protection" is no ILACS "Inspection of X local authority children's services".
_TYPES = (("monitoring visit", re.compile(r"\bmonitoring visit (?:to|of)\b", re.I)),
          ("focused visit", re.compile(r"\bfocused visit (?:to|of)\b", re.I)),
          ("SIF inspection", re.compile(r"inspection of services for children in need of help and protection", re.I)),
          ("full inspection", re.compile(r"\binspection of\b.{0,120}children[’']s\s+services", re.I | re.S)))

# "What needs to improve?1", "What needs to improve in this area of social work practice?" (a visit's letter).
_NEEDS_TO_IMPROVE = re.compile(r"What needs to improve\b(?:[^.?\n]{0,60}\?)?\d*")
_RECOMMENDATIONS = re.compile(r"^Recommendations$", re.M)  # the section, not its line in the contents ("Recommendations 34")
_BULLET = re.compile(r"^[•◼▪■●]\s*")
_NUMBERED = re.compile(r"^\d{1,2}\.\s+")
# A point's own sub-points, in a symbol font's private-use bullets ("\uf02d governance arrangements …").
_SUB_POINT = re.compile(r"^[\uf000-\uf0ff]")
_FOOTNOTE = re.compile(r"^\d \S")  # "1 The areas for improvement have been cross-referenced …"
# The next section's heading, which the text layer sometimes runs onto the last point.
_NEXT_HEADING = re.compile(r"\s*\bThe (?:experiences and progress|impact of leaders)\b[^.]*:\s*[a-z ]+$")


@dataclass(frozen=True)
class Judgement:
    area: str  # as the report words it: "The experiences and progress of care leavers"
    grade: str  # one of GRADES


@dataclass(frozen=True)
class Inspection:
    council: str | None
    first_day: str | None  # ISO dates
    last_day: str | None
    type: str | None  # "full inspection", "focused visit", "monitoring visit", "SIF inspection"
    lead_inspector: str | None
    judgements: tuple[Judgement, ...]
    overall: str | None  # the "Overall effectiveness" grade; None when the report gives none
    improvements: tuple[str, ...]  # each "what needs to improve" point (a SIF report's recommendations)


def normalise_grade(text: str) -> str | None:
    """"Requires Improvement", "require improvement to be good" -> "requires improvement to be good"."""
    words = " ".join(text.lower().split())
    if re.match(r"(?:requires? )?improvement|requires? improvement", words):
        return "requires improvement to be good"
    return words if words in GRADES else None


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _rows(text: str, row: re.Pattern) -> list[Judgement]:
    """The rows of a judgement table, read one after another from its start until something else begins."""
    found, at = [], 0
    while match := row.match(text, at):
        found.append(Judgement(_one_line(match.group(1)), normalise_grade(match.group(2))))
        at = match.end()
    return found


def _judgements(first_page: str) -> list[Judgement]:
    """An ILACS grade table (its overall row among them, when printed), else a SIF report's headline
    verdict and numbered rows."""
    table = _TABLE_START.search(first_page)
    if table:
        return _rows(first_page[table.end():], _ILACS_ROW)
    headline = _SIF_HEADLINE.search(first_page)
    if not headline:
        return []
    return [Judgement(OVERALL, normalise_grade(headline.group(1)))] + _rows(first_page[headline.end():], _SIF_ROW)


def _first_day(span: str, first_found: str) -> str | None:
    """The first day of "13 to 24 March 2023" or "20 February to 3 March 2023": its month and year are
    those of the first full date when it does not print them."""
    start = _FIRST_DAY.match(span.strip())
    if not start:
        return first_found
    day, month, year = start.groups()
    if month and year:
        return first_found  # printed in full: find_dates read it
    year_of, month_of = first_found[:4], first_found[5:7]
    dates = find_dates(f"{day} {month} {year_of}" if month else f"{day}/{month_of}/{year_of}")
    return dates[0][1] if dates else first_found


def inspection_days(text: str) -> tuple[str | None, str | None]:
    """The first and last day of the inspection from its "Inspection dates:" line, a range that may be
    split into two visits ("30 September to 11 October 2024 and 13 to 16 January 2025"), or a visit letter's
    "on 16 and 17 April 2024". The report's
    publication date on the same line is not an inspection day."""
    line = _DATES.search(text) or _VISIT_DATES.search(text)
    dates = find_dates(line.group(1)) if line else []
    if not dates:
        return None, None
    return _first_day(line.group(1), dates[0][1]), dates[-1][1]


def inspection_type(text: str) -> str | None:
    for name, pattern in _TYPES:
        if pattern.search(text):
            return name
    return None


def _points(paragraphs: list[str], item: re.Pattern, repeated) -> list[str]:
    """Consecutive paragraphs that open with `item` (a bullet, a number), each one point. A paragraph in
    lower case (across a page break) or a sub-point continues the point before it; between two points, a
    footnote or a line the report repeats (a running header its parser kept, `repeated`) is skipped."""
    paragraphs = [p.strip() for p in paragraphs if p.strip()]
    points: list[str] = []
    for at, paragraph in enumerate(paragraphs):
        if item.match(paragraph):
            points.append(item.sub("", paragraph))
        elif points and (paragraph[0].islower() or _SUB_POINT.match(paragraph)):
            points[-1] += " " + paragraph
        elif not (points and (_FOOTNOTE.match(paragraph) or repeated(paragraph))
                  and at + 1 < len(paragraphs) and item.match(paragraphs[at + 1])):
            break
        if _NEXT_HEADING.search(points[-1]):
            points[-1] = _NEXT_HEADING.sub("", points[-1])
            break
    return [_one_line(p) for p in points]


def improvement_points(text: str) -> list[str]:
    """The "What needs to improve?" bullets (ILACS), else the first numbered "Recommendations" (SIF; a
    later such section is the safeguarding board's review)."""
    repeated = lambda line: text.count(line) > 1  # noqa: E731
    heading = _NEEDS_TO_IMPROVE.search(text)
    if heading:
        return _points(text[heading.end():].split("\n\n"), _BULLET, repeated)
    heading = _RECOMMENDATIONS.search(text)
    return _points(text[heading.end():].split("\n\n"), _NUMBERED, repeated) if heading else []


def read_inspection(pages: tuple[Page, ...], running: tuple[str, ...] = ()) -> Inspection:
    """What an Ofsted report says about its inspection. `running`: the lines its parser dropped as
    repeated, where the report's title can end up ("Inspection of X local authority children's services")."""
    text = "\n\n".join(p.text for p in pages)
    first_page = pages[0].text if pages else ""
    judgements = _judgements(first_page)
    lead = _LEAD.search(text) or _SIGNED.search(text)
    first_day, last_day = inspection_days(first_page)
    return Inspection(
        council=record_council(pages, running),
        first_day=first_day, last_day=last_day,
        type=inspection_type(first_page[:1000] + "\n" + "\n".join(running)),
        lead_inspector=lead.group(1) if lead else None,
        judgements=tuple(judgements),
        overall=next((j.grade for j in judgements if j.area == OVERALL), None),
        improvements=tuple(improvement_points(text)))
