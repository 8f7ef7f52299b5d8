"""What a heading looks like in committee records. Pure functions, shared by the chunker and
the decision finder (a heading ends a RESOLVED block)."""
from __future__ import annotations

import re

from .text import BULLET

_GRADED_SECTION = re.compile(r":\s*(inadequate|good|outstanding|requires? improvement(\s+to\s+be\s+good)?)\d?$", re.I)
NUMBERED_HEADING = re.compile(r"^(\d{1,3}(\.\d{1,2})?\.?|\d{1,3}/\d{2,4}\.?|Item \d+\.?)\s+\S")


def is_heading(paragraph: str) -> bool:
    """Short title-like lines: "41. CARE LEAVERS' LOCAL OFFER (Agenda Item 5)", "Minutes:", "Agenda item".
    A "Label: value" line ("Inspection dates: 13 to 24 March 2023") is content, not a heading."""
    text = paragraph.strip()
    if len(text) > 400:  # past 16 words of 25 letters: no heading, and a 50 MB line is not read letter by letter
        return False
    words = text.split()
    if not words or text.startswith(BULLET) or len(words) > 16:
        return False
    if re.match(r"[^:]{1,25}:\s+\S", text) and not NUMBERED_HEADING.match(text):
        return False
    if _GRADED_SECTION.search(text) or (text.endswith("?") and len(words) <= 6):
        return True  # "… children in care: good", "What needs to improve?"
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return False  # "5)" alone on a line numbers the paragraph after it: the item's heading stays in force
    if sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(words) <= 20:
        return True
    if text.endswith((".", ";", ",", "?", "!")) and not NUMBERED_HEADING.match(text):
        return False
    if NUMBERED_HEADING.match(text):
        return len(words) <= 12 and not text.endswith(".")
    return len(words) <= 10 and (text[0].isupper() or text[0].isdigit())
