"""Which passages a question or a decisions listing may draw on: council, committee, dates, kind,
decisions only. Pure logic over the few fields every passage carries (its facets)."""
from __future__ import annotations

import calendar
import re
from dataclasses import dataclass, field

import numpy as np

from assistant.councils import canonical

from .dates import parse_date
from .records import DOCUMENT_KINDS, Chunk


def facets_of(chunk: Chunk) -> dict:
    """The fields filters look at, kept beside the lexical index so filtering needs no store query."""
    decision = chunk.decision
    return {"council": chunk.meta.council, "committee": chunk.meta.committee, "date": chunk.meta.date_int,
            "kind": chunk.meta.kind, "decision": bool(decision and not decision.procedural)}


@dataclass(frozen=True)
class FacetColumns:
    """Facets as arrays, for filtering many passages at once: each text field as (distinct values,
    a code per passage); dates as YYYYMMDD (0 when unknown)."""

    councils: tuple[list, np.ndarray]
    committees: tuple[list, np.ndarray]
    kinds: tuple[list, np.ndarray]
    dates: np.ndarray
    decisions: np.ndarray

    @classmethod
    def of(cls, facets: list[dict]) -> FacetColumns:
        def coded(name: str) -> tuple[list, np.ndarray]:
            index: dict = {}
            codes = np.fromiter((index.setdefault(f.get(name), len(index)) for f in facets), dtype=np.int32,
                                count=len(facets))
            return list(index), codes

        return cls(coded("council"), coded("committee"), coded("kind"),
                   np.fromiter((f.get("date") or 0 for f in facets), dtype=np.int64, count=len(facets)),
                   np.fromiter((bool(f.get("decision")) for f in facets), dtype=bool, count=len(facets)))


def _bound(raw: str, *, end: bool) -> str | None:
    """A date, or a year ("2021") or month ("2021-06") taken from its first or last day."""
    if re.fullmatch(r"\d{4}", raw):
        return f"{raw}-12-31" if end else f"{raw}-01-01"
    month = re.fullmatch(r"(\d{4})-(\d{1,2})", raw)
    if month and 1 <= int(month[2]) <= 12:
        year, number = int(month[1]), int(month[2])
        last = calendar.monthrange(year, number)[1] if end else 1
        return f"{year:04d}-{number:02d}-{last:02d}"
    return parse_date(raw)


def _contains(wanted: tuple[str, ...], value: str | None) -> bool:
    # "Rotherham" finds "Rotherham Metropolitan Borough Council"; case and spacing do not matter.
    value = " ".join((value or "").lower().split())
    return any(" ".join(w.lower().split()) in value for w in wanted) if value else False


def _council_in(wanted: tuple[str, ...], value: str | None) -> bool:
    """`_contains`, with both sides also in their official form: "BCP" finds "Bournemouth, Christchurch
    and Poole Council", and "Surrey County Council" finds a record a library stored as "Surrey"."""
    return _contains(wanted, value) or _contains(tuple(filter(None, map(canonical, wanted))), canonical(value))


@dataclass(frozen=True)
class Filters:
    councils: tuple[str, ...] = ()
    committees: tuple[str, ...] = ()
    since: str | None = None  # ISO dates, inclusive
    until: str | None = None
    kinds: tuple[str, ...] = ()
    decisions_only: bool = False
    _since_int: int | None = field(default=None, init=False, repr=False, compare=False)
    _until_int: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        for name in ("since", "until"):
            raw = getattr(self, name)
            if raw:
                iso = _bound(raw.strip(), end=name == "until")
                if not iso:
                    raise ValueError(f"--{name} {raw!r} is not a date (try 2021-06-08)")
                object.__setattr__(self, name, iso)
                object.__setattr__(self, f"_{name}_int", int(iso.replace("-", "")))
        unknown = [k for k in self.kinds if k not in DOCUMENT_KINDS]
        if unknown:
            raise ValueError(f"unknown document kind {', '.join(unknown)}; choose from {', '.join(DOCUMENT_KINDS)}")

    @property
    def active(self) -> bool:
        return bool(self.councils or self.committees or self.since or self.until or self.kinds or self.decisions_only)

    def allows(self, facets: dict) -> bool:
        if self.councils and not _council_in(self.councils, facets.get("council")):
            return False
        if self.committees and not _contains(self.committees, facets.get("committee")):
            return False
        date = facets.get("date")
        if (self._since_int or self._until_int) and not date:
            return False  # an undated passage cannot be shown to fall in the range
        if self._since_int and date < self._since_int or self._until_int and date > self._until_int:
            return False
        if self.kinds and facets.get("kind") not in self.kinds:
            return False
        return not self.decisions_only or bool(facets.get("decision"))

    def mask(self, columns: FacetColumns) -> np.ndarray:
        """`allows` over every passage at once: the names are matched once per distinct value."""
        keep = np.ones(len(columns.dates), dtype=bool)
        for wanted, (values, codes), match in ((self.councils, columns.councils, _council_in),
                                               (self.committees, columns.committees, _contains)):
            if wanted:
                keep &= np.isin(codes, [i for i, v in enumerate(values) if match(wanted, v)])
        if self._since_int or self._until_int:
            keep &= (columns.dates >= (self._since_int or 1)) & (columns.dates <= (self._until_int or 99991231))
        if self.kinds:
            values, codes = columns.kinds
            keep &= np.isin(codes, [i for i, v in enumerate(values) if v in self.kinds])
        if self.decisions_only:
            keep &= columns.decisions
        return keep

    def describe(self) -> str:
        """"council Rotherham; since 2021-01-01; decisions only", for showing with an answer."""
        parts = []
        if self.councils:
            parts.append("council " + " or ".join(self.councils))
        if self.committees:
            parts.append("committee " + " or ".join(self.committees))
        if self.since:
            parts.append(f"since {self.since}")
        if self.until:
            parts.append(f"until {self.until}")
        if self.kinds:
            parts.append("kind " + " or ".join(self.kinds))
        if self.decisions_only:
            parts.append("decisions only")
        return "; ".join(parts)

    def to_json(self) -> dict:
        return {"councils": list(self.councils), "committees": list(self.committees), "since": self.since,
                "until": self.until, "kinds": list(self.kinds), "decisions_only": self.decisions_only}

    @classmethod
    def from_json(cls, data: dict | None) -> "Filters":
        """The filters `to_json` gave (None: none)."""
        data = data or {}
        return cls(councils=tuple(data.get("councils") or ()), committees=tuple(data.get("committees") or ()),
                   since=data.get("since"), until=data.get("until"), kinds=tuple(data.get("kinds") or ()),
                   decisions_only=bool(data.get("decisions_only")))


NO_FILTERS = Filters()


def unmatched(filters: Filters, facets: list[dict], where: str, shown: int = 5) -> str | None:
    """Why `filters` can let nothing through, when a council or committee it names is named by no
    passage in the store (`where`): a misspelt name should say so, not look like records that are silent."""
    for facet, wanted in (("council", filters.councils), ("committee", filters.committees)):
        known = sorted({f[facet] for f in facets if f.get(facet)})
        for name in wanted:
            if not any(_contains((name,), value) for value in known):
                more = f" and {len(known) - shown} more" if len(known) > shown else ""
                listed = f"{facet}s there: {', '.join(known[:shown])}{more}" if known else f"no record there names a {facet}"
                return f'no {facet} matches "{name}" in {where} ({listed})'
    return None
