"""The things that flow through ingest: pages of a parsed record, its metadata, and its chunks."""
from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

DOCUMENT_KINDS = ("minutes", "decision", "inspection_report", "report", "action_plan", "agenda", "other")


@dataclass(frozen=True)
class Page:
    number: int  # 1-based; formats without pages have a single page 1
    text: str


@dataclass(frozen=True)
class RecordMeta:
    """What a citation needs to say where a passage comes from. Unknown stays None: never a guess."""

    council: str | None = None
    committee: str | None = None
    meeting_date: str | None = None  # ISO YYYY-MM-DD
    item: str | None = None  # the agenda item number
    title: str | None = None
    kind: str | None = None
    minute: str | None = None  # the minute number, where minutes number their items apart from the agenda
    # ModernGov records only: the item's position in the agenda (agendaitemnumber), which is not the
    # number printed beside it (`item`), and the item's flags ("decision,restricted,call-in").
    agenda_position: str | None = None
    flags: str | None = None

    @property
    def date_int(self) -> int | None:
        """YYYYMMDD as an int, because Chroma range filters take numbers only."""
        return int(self.meeting_date.replace("-", "")) if self.meeting_date else None

    def merged_over(self, base: "RecordMeta") -> "RecordMeta":
        """This metadata where it says something, `base` where it does not."""
        return replace(base, **{f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)})

    def as_dict(self) -> dict[str, str | None]:
        return {f.name: getattr(self, f.name) for f in fields(self)}


@dataclass(frozen=True)
class Document:
    doc_id: str
    source: str
    sha256: str
    pages: tuple[Page, ...]
    meta: RecordMeta = field(default_factory=RecordMeta)
    part: str | None = None  # which record of a many-record file (a JSONL line's id)
    inspection: dict | None = None  # an Ofsted report's reading (ingest/inspections.py), kept in its manifest entry


@dataclass(frozen=True)
class Decision:
    """A decision as recorded: its verbatim text, its numbered parts and what it did."""

    start: int  # character offsets into the page text
    end: int
    text: str
    parts: tuple[str, ...]
    effect: str  # "noted" when it only notes or receives; else its first action ("approved", "agreed", …)
    actions: tuple[str, ...]
    votes: str | None  # "for 39, against 19, abstain 1" or the proposer's note, verbatim
    procedural: bool  # apologies, declarations, the last meeting's minutes

    @property
    def notes_only(self) -> bool:
        return self.effect == "noted"


@dataclass(frozen=True)
class Chunk:
    chunk_id: str
    doc_id: str
    source: str
    page: int
    start: int  # character offsets into the normalised page text
    end: int
    heading: str | None
    text: str
    meta: RecordMeta
    decision: Decision | None = None  # set when the passage is one decision, found by ingest/decisions.py
    # A decision's lead-in: the words just before it in its record. "Cllr X proposed £15,835, seconded Cllr
    # Y" says nothing of the precept it sets; the discussion before it does.
    lead: str | None = None

    def item_key(self) -> str:
        """The agenda item a passage belongs to: its record (or record part) and item number or heading."""
        return f"{self.chunk_id.rsplit(':p', 1)[0]}|{self.meta.minute or self.meta.item or self.heading or ''}"

    def indexed_text(self) -> str:
        """What the embedder and lexical index read: the passage with its context, so a question
        naming the council, committee, month or item title finds it, and a short decision is found by
        what led to it."""
        context = [v for v in (self.meta.council, self.meta.committee, self.meta.title, _month(self.meta.meeting_date))
                   if v]
        if self.heading and self.heading not in context:
            context.append(self.heading)
        body = f"{self.lead} … {self.text}" if self.lead else self.text
        return (" | ".join(context) + "\n" + body) if context else body


_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December")


def _month(iso: str | None) -> str | None:
    """"2024-10-29" -> "October 2024": questions name a meeting by its month and year."""
    return f"{_MONTHS[int(iso[5:7]) - 1]} {iso[:4]}" if iso and len(iso) >= 7 and iso[5:7].isdigit() else None


@dataclass(frozen=True)
class Hit:
    """A retrieved passage and how well it matched; higher is better."""

    chunk: Chunk
    score: float
