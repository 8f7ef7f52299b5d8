"""UK principal councils and Ireland's local authorities under their official names: what a council name or
alias stands for, in a record, a filter or a question. Pure functions over `data/councils.tsv`, read once.

Imports nothing of Clerk's, so ingest may use it as well as the assistant.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable


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
    text = resources.files("assistant").joinpath("data/councils.tsv").read_text(encoding="utf-8")
    rows = [line.split("\t") for line in text.splitlines() if line.strip() and not line.startswith("#")]
    return tuple(Council(row[0].strip(), row[1].strip(), _split(row[2]), _split(row[3]) if len(row) > 3 else ())
                 for row in rows[1:])  # rows[0] is the header


def _is_acronym(form: str) -> bool:
    letters = re.sub(r"[^A-Za-z]", "", form)
    return letters.isupper() and len(letters) <= 6 and " " not in form


@lru_cache(maxsize=1)
def _forms() -> tuple[dict[str, tuple[Council, bool]], frozenset[str], int]:
    """Every name and alias by its key, with whether it is an acronym (matched only as written); the
    words a key can start with; and the most words any key has."""
    forms: dict[str, tuple[Council, bool]] = {}
    for council in councils():
        for form in (council.name, *council.aliases):
            forms.setdefault(_key(form), (council, _is_acronym(form)))
    return forms, frozenset(k.split()[0] for k in forms), max(len(k.split()) for k in forms)


def _official(council: Council) -> str:
    """A council's name today: an abolished council's single successor (followed through renames);
    with several successors, none can claim the old council's records, so they keep its name."""
    forms = _forms()[0]
    while len(council.successors) == 1 and _key(council.successors[0]) in forms:
        council = forms[_key(council.successors[0])][0]
    return council.name


def _lookup(name: str) -> Council | None:
    forms, key = _forms()[0], _key(name)
    loose = _LOOSE_TYPE.sub("", key)
    found = forms.get(key) or (forms.get(loose) if loose != key else None)
    return found[0] if found else None


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


def official(name: str | None) -> str | None:
    """The official name of the UK principal council a name or alias stands for ("BCP", "Kent",
    "Somerset County Council", "Norfolk Council"), or None when it stands for none."""
    text = " ".join((name or "").split()).strip(" ,.;:")
    council = _lookup(text) if text else None
    return _official(council) if council else None


def canonical(name: str | None) -> str | None:
    """A council's name as Clerk keeps it: a UK principal council's official name; any other council
    (a parish, a town, a council abroad) as given, title-cased when it came in one case; None for nothing."""
    text = " ".join((name or "").split()).strip(" ,.;:")
    return (official(text) or _tidy(text)) if text else None


_TOKEN = re.compile(r"[\w'’]+")
_OTHER_COUNCIL = {"city", "town", "parish", "community", "village"}  # "Norfolk City Council" is not Norfolk's


def _named_at(i: int, tokens: list[str], words: list[str], bases: list[str]) -> tuple[Council, int] | None:
    """The council whose longest name starts at word i, with how many words it takes."""
    forms, _, longest = _forms()
    for n in range(min(longest, len(tokens) - i), 0, -1):
        key = next((k for k in (" ".join(words[i:i + n]), " ".join(words[i:i + n - 1] + bases[i + n - 1:i + n]))
                    if k in forms), None)
        if key is None:
            continue
        council, acronym = forms[key]
        after = words[i + n:i + n + 2]
        if acronym and not all(t.isupper() for t in tokens[i:i + n] if t != "and") \
                or n == 1 and not tokens[i][0].isupper() \
                or len(after) == 2 and after[0] in _OTHER_COUNCIL and after[1] == "council":
            continue
        return council, n
    return None


def councils_named_in(text: str) -> tuple[str, ...]:
    """Official names of the UK principal councils a text (a question) names, in the order it names them,
    the longest name first ("North Northamptonshire" is not "Northamptonshire"). A possessive counts
    ("Kent's"). An acronym counts only as written ("BCP", not "bcp"), a one-word name only capitalised
    ("Slough", not "slough"), so that words and place names that are also words do not count as councils.
    Not "New York" or "New Hampshire", nor "Norfolk City Council", another council than Norfolk's."""
    _, firsts, _ = _forms()
    tokens = [t.group() for t in _TOKEN.finditer(text.replace("&", " and ").replace("-", " "))]
    words = [t.lower().replace("'", "").replace("’", "") for t in tokens]
    bases = [re.sub(r"['’]s$", "", t.lower()).replace("'", "").replace("’", "") for t in tokens]  # "Kent's"
    found: list[str] = []
    i = 0
    while i < len(tokens):
        starts = (words[i] in firsts or bases[i] in firsts) and (i == 0 or words[i - 1] != "new")
        named = _named_at(i, tokens, words, bases) if starts else None
        if named:
            found.append(_official(named[0]))
        i += named[1] if named else 1
    return tuple(dict.fromkeys(found))


_CAP = r"[A-ZÀ-ÖØ-Þ][\wÀ-ÿ'’.-]*"
# A council of any country named with its type, as people write it in a question: "Winnipeg City Council",
# "Stoke Ferry Parish Council", "the City of Toronto", "Town of Oakville". The name's words are capitalised.
_TYPED_NAME = re.compile(
    rf"\b((?:(?!(?:The|What|When|Did|Does|How|Which|Who|Why|Has|Have|Was|Were|Is|In|At|By|For|Compare|Summari[sz]e|List"
    rf"|Show|Tell|Describe|Explain|Track|Trace|Give|Find|And|Or)\b){_CAP}[ ]){{1,3}}"
    rf"(?:City|County|Borough|District|Parish|Town|Community|Village|Municipal|Regional)[ ]Council)\b"
    rf"|\b((?:City|Town|Township|Village|County|Municipality)[ ]of[ ]{_CAP}(?:[ ]{_CAP}){{0,2}})")


def typed_councils_in(text: str) -> tuple[str, ...]:
    """Councils a text names with their type, whether the table knows them or not, as `canonical` keeps them."""
    found = [canonical(m.group(1) or m.group(2)) for m in _TYPED_NAME.finditer(text)]
    return tuple(dict.fromkeys(n for n in found if n))


def most_named(texts: Iterable[str]) -> tuple[str, ...]:
    """The UK councils named in the most of these passages (all of them, when several tie)."""
    counts = Counter(name for text in texts for name in councils_named_in(text))
    top = max(counts.values(), default=0)
    return tuple(name for name, n in counts.items() if n == top)
