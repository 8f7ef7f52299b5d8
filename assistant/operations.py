"""The read-only operations Clerk offers other programs: search, ask, decisions, a passage by id, the councils.

The MCP server (mcp_server.py) and the HTTP API (api.py) are thin adapters over these functions, so both
check a filter or a question as `clerk ask` does and give back the same JSON, with the citation fields of
`clerk ask --json`. No third-party import here: each adapter brings its own.
"""
from __future__ import annotations

import argparse
import threading
from collections import Counter, defaultdict
from dataclasses import asdict
from types import SimpleNamespace

from ingest.records import Chunk, Hit

from .answers import Citation, decisions_json, without_weaker
from .cli import _check_records, _filters, _open, _where  # refused here as `clerk ask` refuses them
from .service import Assistant, check_question

MAX_K = 50
MAX_NEIGHBOURS = 5


class NotFound(ValueError):
    """A passage id the store does not hold: a refusal like any other, that an HTTP adapter answers with 404."""


class Records:
    """The store, opened at the first call that needs it and then kept, so the embedding model loads once
    a process, at its first use. A call that finds no store keeps nothing: one made later is found."""

    def __init__(self, args: argparse.Namespace):
        self._args = args
        self._assistant: Assistant | None = None
        self._lock = threading.Lock()  # calls run on worker threads; two first calls must open one store

    def assistant(self) -> Assistant:
        with self._lock:
            if self._assistant is None:
                self._assistant = _open(self._args)
        self._assistant.library.reload_manifest()  # records the CLI or the app ingested since
        return self._assistant

    def holding(self, filters=None) -> Assistant:
        """The assistant, once the store is known to hold records that `filters` can match."""
        assistant = self.assistant()
        _check_records(assistant, filters)
        return assistant


def _listed(value: str | list[str] | None) -> list[str]:
    # Callers pass one council as a string as often as a list of one.
    return [value] if isinstance(value, str) else list(value or [])


def filters_of(council=None, committee=None, since=None, until=None, kind=None, decisions_only=False):
    """The CLI's own Filters from the arguments, so a filter is checked and refused as in `clerk ask`."""
    return _filters(SimpleNamespace(council=_listed(council), committee=_listed(committee), since=since,
                                    until=until, kind=_listed(kind), decisions_only=decisions_only))


def checked_k(k: int | None) -> int | None:
    if k is not None and not 1 <= k <= MAX_K:
        raise ValueError(f"k {k} is not between 1 and {MAX_K}")
    return k


def passage_json(n: int, chunk: Chunk, score: float = 0.0) -> dict:
    """A passage with the citation fields of `clerk ask --json`."""
    return asdict(Citation.from_hit(n, Hit(chunk, score)))


def neighbourhood(chunk_id: str, chunks: list[Chunk], neighbours: int) -> dict:
    """The passage and up to `neighbours` on each side of it in its document, in reading order, each
    numbered (n) by its place in the document."""
    ordered = sorted(chunks, key=lambda c: (c.page, c.start))
    at = next(i for i, c in enumerate(ordered) if c.chunk_id == chunk_id)
    window = range(max(0, at - neighbours), min(len(ordered), at + neighbours + 1))
    as_json = {i: passage_json(i + 1, ordered[i]) for i in window}
    return {"passage": as_json[at], "before": [as_json[i] for i in window if i < at],
            "after": [as_json[i] for i in window if i > at], "passages_in_document": len(ordered)}


def councils_json(assistant: Assistant) -> dict:
    """The councils the store holds records of, with how many documents each, and their committees."""
    documents = assistant.library.manifest.documents.values()
    counts = Counter(e.meta.get("council") for e in documents)
    committees = defaultdict(set)
    for e in documents:
        if e.meta.get("committee"):
            committees[e.meta.get("council")].add(e.meta["committee"])
    # Most documents first; a council no record states (None) last.
    ranked = sorted(counts.items(), key=lambda kv: (kv[0] is None, -kv[1], kv[0] or ""))
    return {"store": _where(assistant.settings), "documents": len(documents),
            "councils": [{"council": name, "documents": n, "committees": sorted(committees[name])}
                         for name, n in ranked]}


def search(records: Records, query: str, k: int | None = None, **filters) -> dict:
    """The passages that best match `query`, best first, each with its citation."""
    chosen = filters_of(**filters)
    assistant = records.holding(chosen)
    query = check_question(query, assistant.settings.max_question_chars)
    hits = assistant.retriever.search(query, checked_k(k) or assistant.settings.k, filters=chosen)
    return {"query": query, "filters": chosen.to_json() if chosen.active else None,
            "passages": [passage_json(n, h.chunk, h.score) for n, h in enumerate(hits, start=1)]}


def ask(records: Records, question: str, history: list[str] | None = None, k: int | None = None,
        **filters) -> dict:
    """The cited answer, or the abstention: the JSON of `clerk ask --json`."""
    chosen = filters_of(**filters)
    answer = records.holding(chosen).ask(question, history=history or [], k=checked_k(k), filters=chosen)
    return answer.to_json()


def decisions(records: Records, topic: str | None = None, limit: int = 20, **filters) -> dict:
    """Decisions about `topic` (newest first without one): the JSON of `clerk decisions --json`."""
    chosen = filters_of(**filters)
    if limit < 1:
        raise ValueError(f"limit {limit} is not a whole number above 0")
    found = records.holding(chosen).decisions(topic, filters=chosen, limit=limit)
    return decisions_json(topic, chosen, *without_weaker(found))


def passage(records: Records, chunk_id: str, neighbours: int = 1) -> dict:
    """One passage by its chunk_id, with up to `neighbours` passages on each side of it in its document."""
    if not 0 <= neighbours <= MAX_NEIGHBOURS:
        raise ValueError(f"neighbours {neighbours} is not between 0 and {MAX_NEIGHBOURS}")
    assistant = records.holding()
    found = assistant.library.store.get([chunk_id])
    if not found:
        raise NotFound(f"no passage has chunk_id {chunk_id!r} in {_where(assistant.settings)}; "
                       "chunk ids come from search, ask and decisions results")
    return neighbourhood(chunk_id, assistant.library.store.documents([found[0].doc_id]), neighbours)


def councils(records: Records) -> dict:
    return councils_json(records.assistant())
