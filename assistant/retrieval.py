"""Find the passages that answer a query: dense (Chroma) and lexical (BM25), fused by reciprocal rank."""
from __future__ import annotations

import re
from dataclasses import dataclass

import numpy as np

from ingest.embed import Embedder
from ingest.library import Library
from ingest.records import Hit

MODES = ("dense", "lexical", "hybrid")
RRF_K = 60  # the usual constant: rank 1 scores 1/61, rank 10 about 1/70
# "What was resolved / decided / agreed ..." asks for decisions, which sit in RESOLVED blocks.
DECISION_QUESTION = re.compile(r"\b(resolv\w*|decid\w*|decision\w*|agree\w*|approv\w*|vot\w+|endors\w*|motion)\b", re.I)
DECISION_TEXT = re.compile(
    r"\bRESOLVED\b|\bResolved\b|^\s*Decision:|\bI agree to\b|\b(it was|were|was) (agreed|approved|adopted)\b|^\s*Agreed\b",
    re.M)
# "RESOLVED: That the minutes ... be approved as a true record" decides nothing anyone asks about.
PROCEDURAL = re.compile(r"\b(minutes|apologies|declarations? of interest|true record|correct record)\b", re.I)


def records_decision(text: str) -> bool:
    """Whether a passage holds a substantive decision, not only the procedural ones."""
    return any(not PROCEDURAL.search(text[m.start(): m.start() + 160]) for m in DECISION_TEXT.finditer(text))


@dataclass
class Retriever:
    library: Library
    embedder: Embedder

    def search(self, query: str, k: int, mode: str = "hybrid", depth: int = 50) -> list[Hit]:
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose from {', '.join(MODES)}")
        if self.library.store.count() == 0:
            return []
        depth = max(depth, k)
        dense = self._dense(query, depth) if mode in ("dense", "hybrid") else []
        lexical = self._lexical(query, depth) if mode in ("lexical", "hybrid") else []
        if mode == "dense":
            return dense[:k]
        if mode == "lexical":
            return self._hits_for(lexical[:k])
        rankings = [[h.chunk.chunk_id for h in dense], [cid for cid, _ in lexical]]
        known = {h.chunk.chunk_id: h for h in dense}
        if DECISION_QUESTION.search(query):
            # A third ranking: the candidates that record a decision, in their fused order.
            candidates = self._hits_for(_fuse(rankings, len(known) + len(lexical)), known)
            rankings.append([h.chunk.chunk_id for h in candidates if records_decision(h.chunk.text)])
            known.update({h.chunk.chunk_id: h for h in candidates})
        return self._hits_for(_fuse(rankings, k), known)

    def _dense(self, query: str, depth: int) -> list[Hit]:
        return self.library.store.query(self.embedder.encode([query])[0], depth)

    def _lexical(self, query: str, depth: int) -> list[tuple[str, float]]:
        index = self.library.lexical()
        scores = index.scores(query)
        if not len(scores):
            return []
        top = np.argsort(-scores)[:depth]
        return [(index.ids[i], float(scores[i])) for i in top if scores[i] > 0]

    def _hits_for(self, ranked: list[tuple[str, float]], known: dict[str, Hit] | None = None) -> list[Hit]:
        known = known or {}
        missing = [cid for cid, _ in ranked if cid not in known]
        fetched = {c.chunk_id: c for c in self.library.store.get(missing)}
        hits = []
        for cid, score in ranked:
            chunk = known[cid].chunk if cid in known else fetched.get(cid)
            if chunk is not None:  # a lexical id whose chunk was removed since: skip it
                hits.append(Hit(chunk, score))
        return hits


def _fuse(rankings: list[list[str]], k: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each ranking adds 1 / (RRF_K + rank) to the ids it lists."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: -item[1])[:k]
