"""A question's permalink: its text and filters in the Ask page's query string, so that opening the link in
a new session asks it again under the same filters."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from urllib.parse import urlencode

from ingest.filters import Filters

from .answers import Answer
from .library_view import facet_options

# Query-string key -> Filters field, for the filters that take several values.
_LISTS = {"council": "councils", "committee": "committees", "kind": "kinds"}


def question_params(question: str, filters: dict | None) -> dict[str, str | list[str]]:
    """The query string, as st.query_params takes it, of `question` asked under `filters` (Filters.to_json)."""
    filters = filters or {}
    params: dict[str, str | list[str]] = {"q": question}
    params.update({key: list(filters[name]) for key, name in _LISTS.items() if filters.get(name)})
    params.update({key: filters[key] for key in ("since", "until") if filters.get(key)})
    if filters.get("decisions_only"):
        params["decisions"] = "1"
    return params


def answer_params(answer: Answer) -> dict[str, str | list[str]]:
    """An answer's permalink: a follow-up's by the question as searched, which stands on its own."""
    return question_params(answer.standalone_question or answer.question, answer.filters)


def answer_link(answer: Answer) -> str:
    """The permalink relative to the Ask page: "?q=…&council=…"."""
    return "?" + urlencode(answer_params(answer), doseq=True)


@dataclass(frozen=True)
class LinkedQuestion:
    question: str
    filters: Filters
    dropped: list[str] = field(default_factory=list)  # what the link asks for that this library cannot offer


def linked_question(params: dict[str, list[str]], facets: list[dict]) -> LinkedQuestion | None:
    """The question a permalink asks (`params`: each key's values), with the filters of it the filter widgets
    can take in this library (`facets`): a council it holds no record of, or a date that is not one, is left
    out and named in `dropped`. None when the link asks nothing."""
    question = next((q.strip() for q in params.get("q", []) if q.strip()), "")
    if not question:
        return None
    options = facet_options(facets)
    dropped: list[str] = []

    def offered(key: str, allowed: tuple[str, ...]) -> tuple[str, ...]:
        dropped.extend(f"{key} {v}" for v in params.get(key, []) if v not in allowed)
        return tuple(dict.fromkeys(v for v in params.get(key, []) if v in allowed))

    councils = offered("council", options.councils)
    committees = offered("committee", facet_options(facets, councils).committees)
    kinds = offered("kind", options.kinds)
    since, until = (_date_within(key, params, options, dropped) for key in ("since", "until"))
    return LinkedQuestion(question, Filters(councils=councils, committees=committees, since=since, until=until,
                                            kinds=kinds, decisions_only=params.get("decisions") == ["1"]), dropped)


def _date_within(key: str, params: dict[str, list[str]], options, dropped: list[str]) -> str | None:
    """The link's date as the date widget can show it, within the library's dates: a "since" before its first
    meeting is its first meeting, which changes nothing (nor an "until" after its last); a date that is not
    one, or one that would shut out every record, is dropped."""
    raw = next(iter(params.get(key, [])), None)
    if raw is None:
        return None
    try:
        day = dt.date.fromisoformat(raw)
    except ValueError:
        day = None
    first, last = options.first_date, options.last_date
    if day and first and last:
        day = max(day, first) if key == "since" else min(day, last)
        if first <= day <= last:
            return day.isoformat()
    dropped.append(f"{key} {raw}")
    return None
