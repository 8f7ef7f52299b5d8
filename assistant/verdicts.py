"""Inspection verdicts: whether a passage states an inspection's overall judgement. Pure logic.

An Ofsted report's headline paragraph ("Services to children and families in Sefton … are
inadequate") answers "what was the verdict" and "how did it change from 2022 to 2025", yet shares
few words with either question, so retrieval and the composer look for it by its form.
"""
from __future__ import annotations

import re

# A lexical query that finds a council's headline judgements among its passages.
VERDICT_PROBE = "overall effectiveness services children families inadequate requires improvement good outstanding"

_JUDGEMENT = r"(inadequate|requir(es|ed|e) improvement|good|outstanding)"
# "Overall effectiveness: Inadequate", "… when overall effectiveness was judged to be inadequate",
# "Services to children and families in Sefton … are inadequate", "Children's services in Surrey are inadequate",
# "Services for children … have improved since the inspection in 2018, when they were judged to be inadequate".
_VERDICT = re.compile(rf"\boverall effectiveness\W{{0,3}}((is|was|were|has been|had been|have been)\s+)?(judged\s+)?(to be\s+)?(now\s+)?{_JUDGEMENT}\b"
                      rf"|\bservices (for|to|in)\b[^.]{{0,120}}?\b(are|is|remain|were|was)\s+(now\s+)?(judged\s+)?(to be\s+)?{_JUDGEMENT}\b"
                      # A SIF re-inspection's headline: "Children's services in Norfolk requires improvement to be good".
                      rf"|\bservices (for|to|in)\b[^.]{{0,120}}?\brequires? improvement to be good\b",
                      re.I)


def states_verdict(text: str) -> bool:
    """Whether the text gives an overall judgement: a report's headline paragraph or grade table."""
    return bool(_VERDICT.search(text))
