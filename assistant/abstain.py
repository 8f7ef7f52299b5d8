"""Whether the records answer a question: signals from the passages and sentences found, combined by a
small logistic model fitted on labelled questions (`benchmarks/fit_abstention.py`), not set by hand.

The signals are computed here (pure logic over what the service already has); the fitted weights live
in `assistant/data/abstention.json` with the figures they were judged by, out of fold.
"""
from __future__ import annotations

import json
import math
import re
from dataclasses import astuple, dataclass, fields
from functools import lru_cache
from importlib import resources
from typing import Iterable

from ingest.lexical import tokenize
from ingest.records import Hit

from .query import gives_initials, named_years


@dataclass(frozen=True)
class Signals:
    """What the model reads. Each is a number; larger means more of that quality. Candidates left out
    because they did not help out of fold (benchmarks/fit_abstention.py, 2026-12-03): the best sentence's
    plain cosine, the mean of the best three, unweighted coverage, whether a sentence has the form asked
    for, and how far the dense and BM25 top tens agree."""

    best_relevance: float  # the best sentence's relevance (compose.sentence_relevance)
    rare_coverage: float  # the largest share of the question's content words one passage holds, each word
    # weighed by its rarity in the store (IDF): the telling words
    names_missing: float  # the share of the names, bodies and years asked about that no passage mentions
    council_not_held: float  # 1 when the question names councils the store holds no record of
    year_not_held: float  # 1 when it names years that no passage found is dated in or mentions

    def vector(self) -> list[float]:
        return list(astuple(self))


FEATURES = tuple(f.name for f in fields(Signals))


@dataclass(frozen=True)
class AbstentionModel:
    """Logistic regression over standardised signals: P(the records answer)."""

    means: tuple[float, ...]
    scales: tuple[float, ...]
    weights: tuple[float, ...]
    bias: float
    threshold: float  # answer when P is at least this

    def probability(self, signals: Signals) -> float:
        z = self.bias + sum(w * (x - m) / s for w, x, m, s in zip(self.weights, signals.vector(), self.means, self.scales))
        return 1.0 / (1.0 + math.exp(-max(-30.0, min(30.0, z))))

    def answers(self, signals: Signals, threshold: float | None = None) -> bool:
        """Whether to answer: never about councils the store holds no record of (no labelled answerable
        question was; the fitted weight alone let strong passages of other councils through), else by P."""
        if signals.council_not_held:
            return False
        return self.probability(signals) >= (self.threshold if threshold is None else threshold)

    def to_json(self) -> dict:
        return {"features": list(FEATURES), "means": list(self.means), "scales": list(self.scales),
                "weights": list(self.weights), "bias": self.bias, "threshold": self.threshold}

    @classmethod
    def from_json(cls, data: dict) -> "AbstentionModel":
        if tuple(data["features"]) != FEATURES:
            raise ValueError(f"the abstention model was fitted on {data['features']}, not {list(FEATURES)}")
        return cls(tuple(data["means"]), tuple(data["scales"]), tuple(data["weights"]), float(data["bias"]),
                   float(data["threshold"]))


@lru_cache(maxsize=1)
def packaged_model() -> AbstentionModel:
    text = resources.files("assistant").joinpath("data/abstention.json").read_text(encoding="utf-8")
    return AbstentionModel.from_json(json.loads(text))


def content_terms(question: str, names: Iterable[str] = ()) -> set[str]:
    """The question's stemmed content words, less the words of the councils and bodies it names:
    "Kent" says which records, not what in them answers."""
    terms = set(tokenize([question])[0])
    named = " ".join(names)
    return terms - (set(tokenize([named])[0]) if named.strip() else set())


def passage_coverage(terms: set[str], hits: list[Hit], weights: dict[str, float] | None = None,
                     initials: dict[str, tuple[str, ...]] | None = None) -> float:
    """The largest share of `terms` one passage holds, each term counting its weight (1 without weights).
    A passage giving a name's `initials` ("CIL") holds the name's words ("Community Infrastructure Levy")."""
    if not terms or not hits:
        return 0.0
    weight = (lambda t: weights.get(t, 0.0)) if weights else (lambda t: 1.0)
    total = sum(weight(t) for t in terms) or 1.0
    texts = [h.chunk.indexed_text() for h in hits]
    abbreviated = {short: set(tokenize([" ".join(words)])[0]) for short, words in (initials or {}).items()}
    held = [set(tokens).union(*(words for short, words in abbreviated.items() if gives_initials(text, short)))
            for tokens, text in zip(tokenize(texts), texts)]
    return max(sum(weight(t) for t in terms & words) / total for words in held)


def year_not_held(question: str, hits: list[Hit], councils: tuple[str, ...]) -> float:
    """1 when the question names years and no passage found (of the councils it names) is dated within a
    year of one or mentions one: a meeting reports on the year before, and a financial year spans two."""
    years = named_years(question)
    if not years:
        return 0.0
    mention = re.compile(r"\b(" + "|".join(str(y) for y in sorted(years)) + r")\b")
    for hit in hits:
        meta = hit.chunk.meta
        if councils and meta.council is not None and meta.council not in councils:
            continue
        dated = meta.meeting_date and any(abs(int(meta.meeting_date[:4]) - y) <= 1 for y in years)
        if dated or mention.search(hit.chunk.text):
            return 0.0
    return 1.0
