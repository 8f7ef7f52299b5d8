"""Recognising decisions in record text: RESOLVED blocks and their variants. Pure functions."""
from __future__ import annotations

import re

DECISION_TEXT = re.compile(
    r"\bRESOLVED\b|\bResolved\b|^\s*Decision:|\bI agree to\b|\b(it was|were|was) (agreed|approved|adopted)\b|^\s*Agreed\b",
    re.M)
# "RESOLVED: That the minutes ... be approved as a true record" decides nothing anyone asks about.
PROCEDURAL = re.compile(r"\b(minutes|apologies|declarations? of interest|true record|correct record)\b", re.I)


def records_decision(text: str) -> bool:
    """Whether a passage holds a substantive decision, not only the procedural ones."""
    return any(not PROCEDURAL.search(text[m.start(): m.start() + 160]) for m in DECISION_TEXT.finditer(text))
