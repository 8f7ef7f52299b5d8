"""UK principal councils under their official names: what a council name or alias stands for, in a
record, a filter or a question. Pure functions over `data/uk_councils.tsv`, read once.

Imports nothing of Clerk's, so ingest may use it as well as the assistant.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources


@dataclass(frozen=True)
class Council:
    name: str  # the official name
    kind: str  # county, unitary, metropolitan, london, district, wales, scotland, northern ireland, abolished
    aliases: tuple[str, ...]
    successors: tuple[str, ...]  # abolished councils only


# A name given loosely ("Norfolk Council", "Sefton Borough Council") is tried again without its type.
# "City council" is not stripped: "Lichfield City Council" is a parish-level council, not Lichfield District.
_LOOSE_TYPE = re.compile(r" (?:metropolitan borough |county borough |borough |district |county )?council$")
_SMALL_WORDS = {"and", "of", "upon", "on", "the", "in", "under", "with", "by", "le", "en", "y", "nan"}


def _key(name: str) -> str:
    """Case, punctuation and spacing do not tell councils apart: "St. Helens" is "St Helens"."""
    text = name.lower().replace("&", " and ").replace("’", "'").replace("-", " ")
    text = " ".join(re.sub(r"[^\w' ]", " ", text).replace("'", "").split())
    return text[4:] if text.startswith("the ") else text


def _split(cell: str) -> tuple[str, ...]:
    return tuple(part.strip() for part in cell.split(";") if part.strip())


@lru_cache(maxsize=1)
def councils() -> tuple[Council, ...]:
    text = resources.files("assistant").joinpath("data/uk_councils.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(Council(row[0].strip(), row[1].strip(), _split(row[2]), _split(row[3]) if len(row) > 3 else ())
                 for row in rows[1:])  # rows[0] is the header


@lru_cache(maxsize=1)
def _by_key() -> dict[str, Council]:
    index: dict[str, Council] = {}
    for council in councils():
        for form in (council.name, *council.aliases):
            index.setdefault(_key(form), council)
    return index


def _official(council: Council) -> str:
    """A council's name today: an abolished council's single successor (followed through renames);
    with several successors, none can claim the old council's records, so they keep its name."""
    by_key = _by_key()
    while len(council.successors) == 1 and _key(council.successors[0]) in by_key:
        council = by_key[_key(council.successors[0])]
    return council.name


def _lookup(name: str) -> Council | None:
    key = _key(name)
    by_key = _by_key()
    if key in by_key:
        return by_key[key]
    loose = _LOOSE_TYPE.sub("", key)
    return by_key.get(loose) if loose != key else None


def _tidy(name: str) -> str:
    """A name set all in capitals or all in lower case, title-cased the way council names are written:
    "STOKE FERRY PARISH COUNCIL" -> "Stoke Ferry Parish Council", "newcastle-under-lyme" -> "Newcastle-under-Lyme"."""
    if not (name.isupper() or name.islower()):
        return name

    def word(part: str, first: bool) -> str:
        if not first and part.lower() in _SMALL_WORDS:
            return part.lower()
        if name.isupper() and len(part) <= 3 and not re.search(r"[AEIOUY]", part):
            return part  # "PC", "MBC": an abbreviation, not a word
        return part[:1].upper() + part[1:].lower()

    words = name.split(" ")
    return " ".join("-".join(word(part, i == 0 and j == 0) for j, part in enumerate(w.split("-")))
                    for i, w in enumerate(words))


def canonical(name: str | None) -> str | None:
    """The official name of the UK principal council a name or alias stands for ("BCP", "Kent",
    "Somerset County Council"); any other council (a parish, a town, a council abroad) as given,
    title-cased when it came in one case; None for nothing."""
    text = " ".join((name or "").split()).strip(" ,.;:")
    if not text:
        return None
    council = _lookup(text)
    return _official(council) if council else _tidy(text)


def _is_acronym(form: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", form)
    return letters.isupper() and len(letters) <= 6 and " " not in form


@lru_cache(maxsize=1)
def _mentions() -> tuple[re.Pattern, re.Pattern, dict[str, Council]]:
    """Two patterns over every name and alias, longest first so "North Northamptonshire" is not read as
    "Northamptonshire": acronyms match only as written, everything else in any case."""
    forms: dict[str, Council] = {}
    for council in councils():
        for form in (council.name, *council.aliases):
            forms.setdefault(form, council)

    def pattern(chosen: list[str], flags: int) -> re.Pattern:
        alternatives = "|".join(re.escape(f) for f in sorted(chosen, key=len, reverse=True))
        # Not "New York" or "New Hampshire"; not "Norfolk City Council" or "Kent Town Council", which are
        # other councils than the principal one of that name. A possessive ("Kent's") is allowed.
        return re.compile(rf"(?<![\w-])(?<!\bNew )({alternatives})(?!\w)"
                          rf"(?!\s+(?:City|Town|Parish|Community|Village)\s+Council)", flags)

    acronyms = [f for f in forms if _is_acronym(f)]
    words = [f for f in forms if not _is_acronym(f)]
    by_form = {f.lower(): c for f, c in forms.items() if f not in acronyms} | {f: c for f, c in forms.items()
                                                                               if f in acronyms}
    return pattern(acronyms, 0), pattern(words, re.I), by_form


def councils_named_in(text: str) -> tuple[str, ...]:
    """Official names of the UK principal councils a text (a question) names, in the order it names them.
    A one-word name counts only when capitalised ("Slough", not "slough"), so that place names that are
    also words do not count as councils."""
    acronyms, words, by_form = _mentions()
    found: list[tuple[int, str]] = []
    for match in acronyms.finditer(text):
        found.append((match.start(), _official(by_form[match.group(1)])))
    for match in words.finditer(text):
        form = match.group(1)
        if " " in form or form[0].isupper():
            found.append((match.start(), _official(by_form[form.lower()])))
    return tuple(dict.fromkeys(name for _, name in sorted(found)))
