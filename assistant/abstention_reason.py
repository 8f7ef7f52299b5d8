"""Why the records do not answer, said plainly, with the next step: no records of the council asked about,
filters that shut out what would answer, or passages that come close without answering. Pure logic over
plain values: the service gathers them (assistant/service.py)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import Iterable, Sequence

from ingest.filters import Filters

from .answers import Answer, Citation
from .query import council_alias, is_held, named_councils, named_years

# The controlled values of Answer.abstention_reason.
EMPTY_STORE = "empty_store"
NO_RECORDS_FOR_COUNCIL = "no_records_for_council"
NO_RECORDS_FOR_BODY = "no_records_for_body"
FILTERED_OUT = "filtered_out"
NOT_IN_RECORDS = "not_in_records"

NOT_ANSWERED = "The records I have do not answer this question"
ADD_RECORDS = "with `clerk ingest` or on the Library page"
MOST_NAMED = 3  # councils named in a sentence before "and N others"


@dataclass(frozen=True)
class Explanation:
    reason: str
    text: str


def explain(question: str, *, asked: Sequence[str], held: Iterable[str], filters: Filters,
            closest: Sequence[Citation], unfiltered: Answer | None,
            bodies_not_held: Sequence[str] = ()) -> Explanation:
    """Why `question` (as searched) was not answered. `asked`: the UK councils it names, held or not;
    `held`: the councils the store holds; `closest`: the passages found under `filters`;
    `unfiltered`: the answer to the same question without them (None when no filter was set);
    `bodies_not_held`: the committees it names that no record is of or names."""
    held = sorted(set(held))
    if not closest and not (unfiltered and unfiltered.citations):
        return Explanation(EMPTY_STORE, f"{NOT_ANSWERED}: nothing has been ingested yet. Add records {ADD_RECORDS}.")
    held_aliases = {council_alias(c) for c in held}
    missing = list(dict.fromkeys(c for c in asked if not is_held(c, held_aliases)))
    if missing:
        return Explanation(NO_RECORDS_FOR_COUNCIL, _no_records(missing, held))
    if bodies_not_held:
        names = " or the ".join(bodies_not_held)
        return Explanation(NO_RECORDS_FOR_BODY, f"{NOT_ANSWERED}: no record here is of, or names, the {names}. "
                                                f"Add its minutes {ADD_RECORDS}.")
    councils, years = named_councils(question, held), named_years(question)
    if filters.active and unfiltered is not None:
        found = _shut_out(unfiltered, closest, councils, years)
        if found:
            sources = describe_sources(found)
            return Explanation(FILTERED_OUT, f"Nothing under the filters you set ({filters.describe()}) answers this; "
                                             f"without them, {f'the records from {sources}' if sources else 'other records'}"
                                             " may. Clear the filters and ask again.")
    if not closest:  # the filters let nothing through, and without them nothing answers either
        return Explanation(NOT_IN_RECORDS, f"{NOT_ANSWERED}: no passage passes the filters you set "
                                           f"({filters.describe()}). Try rephrasing it, or widen the filters.")
    sources = describe_sources(closest)
    listed = f"The closest passages, from {sources}, are listed below" if sources else \
        "The closest passages are listed below"
    return Explanation(NOT_IN_RECORDS, f"{NOT_ANSWERED}. {listed}; they are not an answer. "
                                       f"{_next_step(bool(councils), bool(years))}")


def _no_records(missing: list[str], held: list[str]) -> str:
    """"I have no records of Kent County Council. The library holds records of 2 councils: … Add …"."""
    names = " or ".join(missing)
    whose = f"{missing[0]}’s" if len(missing) == 1 else "their"
    library = (f"The library holds records of {len(held)} council{'s' if len(held) > 1 else ''}: {_listed(held)}."
               if held else "The library holds no records that name their council.")
    return f"I have no records of {names}. {library} Add {whose} records {ADD_RECORDS}."


def _shut_out(unfiltered: Answer, closest: Sequence[Citation], councils: Sequence[str],
              years: set[int]) -> list[Citation]:
    """What the filters kept out: the passages the answer without them cites, or, when it abstains too,
    its passages of the council and year asked about, if none found under the filters is."""
    if not unfiltered.abstained:
        return [c for c in unfiltered.citations if c.cited]
    if any(_about(c, councils, years) for c in closest):
        return []
    return [c for c in unfiltered.citations if _about(c, councils, years)]


def _about(citation: Citation, councils: Sequence[str], years: set[int]) -> bool:
    """Whether a passage is of the council and the year the question names; False when it names neither."""
    if not councils and not years:
        return False
    if councils and council_alias(citation.council or "") not in {council_alias(c) for c in councils}:
        return False
    return not years or bool(citation.meeting_date) and int(citation.meeting_date[:4]) in years


def _next_step(names_council: bool, names_year: bool) -> str:
    """What to try next: name what the question leaves open, or put it in other words."""
    unnamed = [what for what, named in (("council", names_council), ("year", names_year)) if not named]
    if not unnamed:
        return "Try rephrasing it in the words the records may use."
    return f"Try rephrasing it, or name the {' and the '.join(unnamed)} it is about."


def describe_sources(citations: Sequence[Citation]) -> str:
    """"Northmoor Borough Council (2024) and Eastbridge County Council (2023, 2024)", councils in rank
    order; "" when no passage names its council."""
    years: dict[str, set[str]] = {}
    for citation in citations:
        if citation.council:
            years.setdefault(citation.council, set()).update([citation.meeting_date[:4]] if citation.meeting_date else [])
    return _listed([f"{council} ({', '.join(sorted(y))})" if y else council for council, y in years.items()])


def _listed(parts: Sequence[str]) -> str:
    """"A, B and C"; past MOST_NAMED, "A, B, C and 4 others": a sentence, not a catalogue."""
    if len(parts) > MOST_NAMED:
        parts = [*parts[:MOST_NAMED], f"{len(parts) - MOST_NAMED} others"]
    return parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}" if parts else ""
