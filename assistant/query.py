"""What a question says about where its answer lies: councils named, years, recency, decisions,
and local-government synonyms. Pure functions over the question text."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Iterable

from .councils import canonical, councils_named_in

# "agree" asks about a decision only as a verb ("was agreed", "agreed to"): "agreed audit actions"
# asks about actions, and ranking decisions first would bury the passage that answers.
DECISION_QUESTION = re.compile(
    r"\b(resolv\w*|decid\w*|decision\w*|approv\w*|vot(e|ed|es|ing)|endors\w*|motions?"
    r"|(was|were|did|been|be|has|have|had|councillors|members|committee)\s+(\w+\s+)?agreed?"
    r"|agree[ds]?\s+(to|that|on|upon|with)|^agreed?)\b", re.I)
# "Why did the council decide …" asks for its reasons, which the discussion gives, not the decision.
_REASON_QUESTION = re.compile(r"^\W*why\b", re.I)
# "When did Ofsted last inspect …", "its most recent inspection", "the latest figures", "currently"; not the
# verb ("How long does the lease last?", "will last for ten years").
RECENT_QUESTION = re.compile(r"\b(latest|newest|most recent(ly)?|recent(ly)?|last(?! (year|month|week|time)\b)"
                             r"(?!\s*(?:[?.!]|$|for\b))|this year|current(ly)?|now)\b", re.I)
# The kind of record a question is about, when it names one: "the last inspection" is the newest
# inspection report, not the newest minutes that mention one.
_KIND_WORDS = (("inspection_report", re.compile(r"\b(ofsted|inspect\w*|inspectors?)\b", re.I)),
               ("minutes", re.compile(r"\b(minutes|meetings?)\b", re.I)),
               ("decision", re.compile(r"\b(record of decision|decision notice)\b", re.I)))
# "Which councils …", "how do different authorities …", "compare …", "across the country": one line per
# council in the answer. Not "across its 2018, 2022 and 2025 reports", which is one council's.
ACROSS_COUNCILS = re.compile(
    r"\b(which|what|how many|each|every|all|other|different|several|both|the)\s+(\w+\s+){0,2}?"
    r"(councils|authorities|boroughs|parishes|local authorities)\b|\bcompar(e|es|ed|ing|ison)\b"
    r"|\bacross\s+(the\s+)?(\w+\s+)?(councils|authorities|boroughs|parishes|country|england|region|regions|areas)\b", re.I)
# Asks for an inspection's overall judgement, or how it moved across the years a question names
# ("Trace Sefton's Ofsted outcome from 2022 to 2025"): the report's headline paragraph answers.
# "Even though Birmingham was rated good, which area …" gives the verdict and asks about something else,
# as does "Which part of the service was responsible for that verdict?".
VERDICT_QUESTION = re.compile(r"(?<!that )(?<!this )\b(verdicts?|judge?ments?|ratings?|grades?"
                              r"|(judge[ds]?|rated|graded)(?!\s+(as\s+)?(inadequate|requires|good|outstanding)))\b", re.I)
# Words that ask for a verdict only about an inspection: "the outcome when full Council considered the
# call-in" asks about a vote.
INSPECTION_VERDICT = re.compile(r"(?<!that )(?<!this )\b(outcomes?|overall|effectiveness)\b", re.I)
INSPECTION_CONTEXT = re.compile(r"\b(ofsted|inspect\w*|inspectors?|children['’]s services|ilacs|sif)\b", re.I)
CHANGE_QUESTION = re.compile(r"\b(chang\w*|moved?|trace|progress\w*|improv\w*|deteriorat\w*|declin\w*)\b", re.I)
_YEAR = re.compile(r"\b(19[5-9]\d|20\d\d)\b")
# "2019/20", "2023-24", "2019/2020": a financial year, which names the year it ends in too.
FINANCIAL_YEAR = re.compile(r"\b((?:19|20)\d\d)\s*[/-]\s*((?:19|20)?\d\d)\b")


def financial_year_end(match: re.Match) -> int | None:
    """The year a "2019/20" match ends in (2020), or None when it is not the year after ("2019-23")."""
    start, end = int(match[1]), match[2]
    end_year = int(end) if len(end) == 4 else start // 100 * 100 + int(end)
    return end_year if end_year == start + 1 else None


def named_years(question: str) -> set[int]:
    """Years the question names, with the end year of a financial year ("2019/20" names 2019 and 2020)."""
    years = {int(y) for y in _YEAR.findall(question)}
    return years | {y for m in FINANCIAL_YEAR.finditer(question) if (y := financial_year_end(m))}


def earlier_questions(history) -> tuple[str, ...]:
    """A follow-up's earlier questions, given as a list of them or as one string: a string is one
    question, never a sequence of characters."""
    if not history:
        return ()
    if isinstance(history, str):
        return (history,)
    return tuple(str(h) for h in history)


# Words in council names that do not tell one council from another.
_GENERIC = {"council", "county", "borough", "city", "metropolitan", "district", "parish", "town", "london",
            "of", "the", "and", "royal", "community", "mbc", "cc", "bc", "dc", "pc",
            "regional", "municipality", "township", "village", "corporation"}  # councils abroad: "Town of Oakville"


def _unaccented(text: str) -> str:
    """"Dún Laoghaire" and "Dun Laoghaire" are one name: people type names without their accents."""
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


@dataclass(frozen=True)
class QueryHints:
    councils: tuple[str, ...] = ()  # stored council names the question names
    years: tuple[int, ...] = ()
    wants_recent: bool = False
    wants_decisions: bool = False
    across_councils: bool = False  # asks about several councils: answer with one line each
    wants_verdict: bool = False  # an inspection's overall judgement, or its course over the years named
    kind: str | None = None  # the kind of record the question names ("inspection_report" for "Ofsted")
    # UK councils the question names that no stored record is of: a record of unknown council may be theirs.
    unstored: tuple[str, ...] = ()


def council_alias(name: str) -> str:
    """"London Borough of Camden" -> "camden"; "Stoke Ferry Parish Council" -> "stoke ferry"."""
    words = [w for w in re.findall(r"[a-z0-9&'’-]+", _unaccented(name).lower()) if w not in _GENERIC]
    return " ".join(words)


def is_held(name: str, held_aliases: Iterable[str]) -> bool:
    """Whether a council asked about is one the store holds, by the distinctive words of their names: "Northwold
    Parish Council" is held when "Northwold and Whittington Parish Council" is (a question shortens a name)."""
    alias = council_alias(name)
    words = set(alias.split())
    return any(alias == held or (words and words <= set(held.split())) for held in held_aliases)


def named_councils(question: str, known: Iterable[str], official: Iterable[str] | None = None) -> tuple[str, ...]:
    """The stored council names a question names: by the distinctive words of the name ("Rutland's"), or
    by any name the UK's councils go by ("BCP" for Bournemouth, Christchurch and Poole Council).
    `official`: the question's `councils_named_in`, when the caller has it already."""
    lowered = _unaccented(question).lower()
    official = set(councils_named_in(question) if official is None else official)
    found = []
    for name in known:
        alias = council_alias(name)
        if alias and len(alias) > 2 and re.search(rf"\b{re.escape(alias)}(?:[’']s)?\b", lowered) \
                or canonical(name) in official:
            found.append(name)
    return tuple(sorted(found))


def asks_for_decisions(question: str) -> bool:
    """Whether a question asks what was decided ("what was resolved …", "did Cabinet approve …")."""
    return bool(DECISION_QUESTION.search(question)) and not _REASON_QUESTION.match(question)


def analyse(question: str, known_councils: Iterable[str] = ()) -> QueryHints:
    known_councils = tuple(known_councils)
    official = councils_named_in(question)
    councils = named_councils(question, known_councils, official)
    held = {canonical(c) for c in known_councils}
    years = tuple(sorted(named_years(question)))
    return QueryHints(
        councils=councils,
        years=years,
        wants_recent=bool(RECENT_QUESTION.search(question)),
        wants_decisions=asks_for_decisions(question),
        # "Manchester" and "Manchester City Council" are one council under two names.
        across_councils=len({council_alias(canonical(c)) for c in councils}) > 1 or bool(ACROSS_COUNCILS.search(question)),
        wants_verdict=bool(VERDICT_QUESTION.search(question)) or bool(INSPECTION_CONTEXT.search(question)) and (
            bool(INSPECTION_VERDICT.search(question)) or (len(years) > 1 and bool(CHANGE_QUESTION.search(question)))),
        kind=next((kind for kind, words in _KIND_WORDS if words.search(question)), None),
        unstored=tuple(c for c in official if c not in held),
    )


def parse_vocabulary(text: str) -> list[tuple[str, ...]]:
    """Lines of TERM<TAB>equivalent; equivalent -> groups of equivalent terms."""
    groups = []
    for line in text.splitlines():
        if not line.strip() or line.lstrip().startswith("#") or "\t" not in line:
            continue
        term, rest = line.split("\t", 1)
        groups.append(tuple(t.strip() for t in [term, *rest.split(";")] if t.strip()))
    return groups


@lru_cache(maxsize=4)
def load_vocabulary(extra: str | None = None) -> tuple[tuple[str, ...], ...]:
    text = resources.files("assistant").joinpath("data/vocabulary.tsv").read_text(encoding="utf-8")
    groups = parse_vocabulary(text)
    if extra:
        groups += parse_vocabulary(Path(extra).expanduser().read_text(encoding="utf-8"))
    return tuple(groups)


def expand(question: str, vocabulary: Iterable[tuple[str, ...]]) -> str:
    """The question plus the equivalents of any term it uses, for lexical matching: "LAC" also
    finds "children in care", and "children in care" also finds "LAC". Acronyms match by case."""
    additions: list[str] = []
    for group in vocabulary:
        for term in group:
            flags = 0 if term.isupper() or any(c.isupper() for c in term[1:]) else re.I
            if re.search(rf"(?<!\w){re.escape(term)}(?!\w)", question, flags):
                additions.extend(t for t in group if t != term and t not in additions)
                break
    return question if not additions else question + " " + " ".join(additions)


# A body a question names formally: capitalised words ending in a body's word ("Children and Young People
# Scrutiny Committee", "Corporate Parenting Panel"), less the council whose it is ("Kent's …").
_BODY_NAME = re.compile(r"\b((?:[A-Z][\w'’&-]*\s+(?:(?:and|of|for|&)\s+)?){1,7}"
                        r"(?:Committee|Sub-Committee|Panel|Board|Commission|Forum))\b")
_LEADING = {"what", "which", "did", "does", "do", "how", "when", "who", "why", "where", "the", "a", "an", "has", "had",
            "have", "was", "were", "is", "are", "can", "could", "at", "in", "on", "by", "for", "of", "and"}


def bodies_named(question: str) -> tuple[str, ...]:
    """The committees, panels and boards a question names in full, of two words or more: "Kent's Corporate
    Parenting Panel" names the Corporate Parenting Panel."""
    found = []
    for match in _BODY_NAME.finditer(question):
        words = match.group(1).split()
        possessive = [i for i, w in enumerate(words) if re.search(r"['’]s$", w)]
        words = words[possessive[-1] + 1:] if possessive else words
        while words and words[0].lower() in _LEADING:
            words = words[1:]
        if len(words) >= 2:
            found.append(" ".join(words))
    return tuple(dict.fromkeys(found))


# Capitalised words in a row, "and", "of", "for" or a comma between them: a name that may go by its initials
# ("Education, Health and Care Plans": EHCPs).
_NAME_RUN = re.compile(r"\b[A-Z][a-z]+(?:,?(?:\s+(?:and|of|for))?\s+[A-Z][a-z]+)+\b")
_NOT_IN_NAME = {"what", "which", "who", "when", "where", "why", "how", "did", "does", "do", "is", "are", "was", "were"}


def initialisms(question: str) -> dict[str, tuple[str, ...]]:
    """The names a question gives in full that records often abbreviate, by their initials:
    {"CIL": ("Community", "Infrastructure", "Levy")}."""
    found = {}
    for run in _NAME_RUN.finditer(question):
        words = tuple(w for w in re.findall(r"[A-Z][a-z]+", run.group(0)) if w.lower() not in _NOT_IN_NAME)
        if len(words) >= 2:
            found["".join(w[0] for w in words)] = words
    return found


def gives_initials(text: str, initials: str) -> bool:
    """Whether `text` uses these initials as a word, in capitals, one or several ("CIL", "EHCPs")."""
    return bool(re.search(rf"\b{initials}s?\b", text))
