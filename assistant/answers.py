"""What an answer is: text with [n] markers and the numbered passages they point to."""
from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

from ingest.filters import Filters
from ingest.records import Hit


@dataclass(frozen=True)
class Citation:
    n: int
    source: str
    page: int
    chunk_id: str
    text: str
    score: float
    council: str | None
    committee: str | None
    meeting_date: str | None
    item: str | None
    kind: str | None
    title: str | None = None
    heading: str | None = None
    supporting: str | None = None  # the sentence of `text` the answer quotes, for highlighting
    cited: bool = False  # False: listed as further reading, no sentence of the answer rests on it
    minute: str | None = None

    @classmethod
    def from_hit(cls, n: int, hit: Hit, supporting: str | None = None, cited: bool = False) -> "Citation":
        chunk, meta = hit.chunk, hit.chunk.meta
        return cls(n=n, source=chunk.source, page=chunk.page, chunk_id=chunk.chunk_id, text=chunk.text,
                   score=round(float(hit.score), 4), council=meta.council, committee=meta.committee,
                   meeting_date=meta.meeting_date, item=meta.item, kind=meta.kind, title=meta.title,
                   heading=chunk.heading, supporting=supporting, cited=cited, minute=meta.minute)

    @property
    def file_name(self) -> str:
        """The file's name; a record synced from a web site is named by its whole URL, to follow."""
        return self.source if self.source.startswith(("http://", "https://")) else Path(self.source).name

    def label(self) -> str:
        """"BCP Council · Children's Services Overview and Scrutiny Committee · 2021-06-08 · item 11 · p. 1"."""
        parts = [self.council, self.committee, self.meeting_date, f"minute {self.minute}" if self.minute else None,
                 f"item {self.item}" if self.item else None, self.title if not self.item else None, f"p. {self.page}"]
        return " · ".join(p for p in parts if p) + f" — {self.file_name}"


@dataclass(frozen=True)
class Answer:
    question: str
    text: str
    abstained: bool
    citations: tuple[Citation, ...] = field(default_factory=tuple)
    standalone_question: str | None = None
    filters: dict | None = None  # the filters the passages were drawn under (Filters.to_json), if any
    composer: str = "extractive"  # "llm" when a language model wrote the text (see assistant/llm.py)
    notice: str | None = None  # e.g. why the language model's answer was replaced by the extractive one
    abstention_reason: str | None = None  # why it abstained, one of assistant/abstention_reason.py's codes

    def to_json(self) -> dict:
        """The `clerk ask --json` contract: fields may be added, never removed."""
        return {
            "question": self.question,
            "answer": self.text,
            "abstained": self.abstained,
            "standalone_question": self.standalone_question,
            "citations": [asdict(c) for c in self.citations],
            "filters": self.filters,
            "composer": self.composer,
            "notice": self.notice,
            "abstention_reason": self.abstention_reason,
        }


@dataclass(frozen=True)
class DecisionEntry:
    """One row of the precedent finder: a decision as recorded, with the citation to it."""

    citation: Citation
    effect: str
    parts: tuple[str, ...]
    actions: tuple[str, ...]
    votes: str | None
    weaker: bool = False  # found for a topic, but below its relevance cut-off (service.relevant_decisions)

    @classmethod
    def from_hit(cls, n: int, hit: Hit, weaker: bool = False) -> "DecisionEntry":
        decision = hit.chunk.decision
        return cls(Citation.from_hit(n, hit, cited=True), decision.effect, decision.parts, decision.actions,
                   decision.votes, weaker)

    def to_json(self) -> dict:
        """A citation as in `ask --json`, plus what the decision did."""
        return {**asdict(self.citation), "effect": self.effect, "parts": list(self.parts),
                "actions": list(self.actions), "votes": self.votes, "weaker": self.weaker}


def without_weaker(found: list[DecisionEntry], keep_weaker: bool = False) -> tuple[list[DecisionEntry], int]:
    """The decisions to list under the relevance cut-off (all with `keep_weaker`), and how many were left out."""
    entries = found if keep_weaker else [e for e in found if not e.weaker]
    return entries, len(found) - len(entries)


def decisions_json(topic: str | None, filters: Filters, entries: list[DecisionEntry], weaker_left_out: int = 0) -> dict:
    """The `clerk decisions --json` contract, which the MCP server's `decisions` tool returns too."""
    return {"topic": topic, "filters": filters.to_json() if filters.active else None,
            "decisions": [e.to_json() for e in entries], "weaker_left_out": weaker_left_out}
