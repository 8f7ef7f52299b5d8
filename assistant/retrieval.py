"""Find the passages that answer a query.

Modes, for the ablation in `clerk eval --mode`:
- dense: the packaged embedding model over Chroma;
- lexical: BM25;
- hybrid: both, fused by reciprocal rank (RRF);
- full: hybrid with local-government synonyms for BM25, plus extra rankings fused in for what the
  question says about where the answer lies (a council it names, a year, "latest", decisions),
  with near-duplicate passages collapsed to the earliest meeting's.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

import numpy as np

from ingest.decisions import reports_decision
from ingest.embed import CrossEncoderReranker, Embedder
from ingest.filters import NO_FILTERS, Filters
from ingest.library import Library
from ingest.records import Hit
from ingest.text import collapse

from .councils import councils_named_in
from .inspection_passages import Report, in_order, key_passages, parts_asked
from .query import QueryHints, analyse, expand, load_vocabulary
from .tuning import TUNING
from .verdicts import VERDICT_PROBE, states_verdict

MODES = ("dense", "lexical", "hybrid", "full")
RRF_K = TUNING.rrf_k
# Filtered dense search scores up to this many passages exactly: reading their vectors from Chroma is
# the cost (17 ms for 500 at 936k passages, 72-100 ms for 2,000).
EXACT_FILTERED_LIMIT = 500
# Ids (no texts) of this many neighbours at most are fetched to find enough allowed ones: 17 ms at 936k.
# Stores made before ef_search was 1,000 give back only about 130 however many are asked for.
MAX_OVERFETCH = 3000


@dataclass
class Retriever:
    library: Library
    embedder: Embedder
    vocabulary: tuple[tuple[str, ...], ...] = field(default_factory=load_vocabulary)
    reranker: CrossEncoderReranker | None = None  # CLERK_RERANKER: reorders the top of "full" results
    rerank_depth: int = 20

    def search(self, query: str, k: int, mode: str = "full", depth: int = 50,
               filters: Filters = NO_FILTERS, within: np.ndarray | None = None) -> list[Hit]:
        """The `k` best passages for `query` under `filters`, and of those only the ones `within` (a mask over
        the lexical index) allows: a selection filters cannot say, such as records of unknown council."""
        if mode not in MODES:
            raise ValueError(f"unknown retrieval mode {mode!r}; choose from {', '.join(MODES)}")
        index = self.library.lexical()  # never store.count(): that costs 8 ms a call at 100k passages
        if not index.ids:
            return []
        allowed = index.allowed(filters) if filters.active else None
        if within is not None:
            allowed = within if allowed is None else allowed & within
        if allowed is not None and not allowed.any():
            return []
        depth = max(depth, k)
        if mode == "dense":
            return self._hits_for(self._dense(query, depth, allowed)[:k])
        lexical = self._lexical(query, depth, allowed)
        if mode == "lexical":
            return self._hits_for(lexical[:k])
        dense = self._dense(query, depth * 2 if mode == "full" else depth, allowed)
        rankings = [[cid for cid, _ in dense], [cid for cid, _ in lexical]]
        if mode == "full":
            expanded = expand(query, self.vocabulary)
            if expanded != query:  # beside the plain query's ranking, never in its place
                rankings += [[cid for cid, _ in self._lexical(expanded, depth, allowed)]] * TUNING.expansion_weight
            hints = analyse(query, self.library.councils())
            # Text repeated nearly word for word across several records (report furniture) is left out.
            furniture = index.boilerplate
            rankings = [[cid for cid in ranking if cid not in furniture] for ranking in rankings]
            pool = self._hits_for(_fuse(rankings, 3 * depth))
            # The named councils' inspection reports' passages that the question asks for (their covers,
            # verdicts or improvement points) lead the candidates, in a ranking of their own.
            key = [h for h in self.inspection_passages(query, hints, {h.chunk.chunk_id: h for h in pool})
                   if allowed is None or (row := index.position(h.chunk.chunk_id)) is not None and allowed[row]]
            if key:
                leading = {h.chunk.chunk_id for h in key}
                pool = key + [h for h in pool if h.chunk.chunk_id not in leading]
                rankings.append([h.chunk.chunk_id for h in key])
            if hints.wants_verdict and hints.councils:
                pool += self._verdicts_of(hints.councils, {h.chunk.chunk_id for h in pool})
            rankings += hint_rankings(hints, pool)
            known = {h.chunk.chunk_id: h for h in pool}
            fused = collapse_duplicates(self._hits_for(_fuse(rankings, max(2 * k, self.rerank_depth)), known))
            if self.reranker is not None:
                top = fused[:self.rerank_depth]
                scores = self.reranker.score(query, [h.chunk.indexed_text() for h in top])
                fused = [Hit(top[i].chunk, float(scores[i])) for i in np.argsort(-scores, kind="stable")]
            return fused[:k]
        return self._hits_for(_fuse(rankings, k))

    def _dense(self, query: str, depth: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        """Ids of the nearest passages, best first, with their cosine similarity; texts are fetched
        later, for the few that are kept. With a filter (`allowed`, a mask over the lexical index):
        a few allowed passages are scored exactly from their stored vectors; many are found by
        over-fetching from the HNSW index in proportion to how few pass. Chroma's own `where` filter
        was 2.6-25 times slower than an unfiltered query here."""
        store = self.library.store
        vector = self.embedder.encode([query])[0]
        if allowed is None:
            return store.nearest(vector, depth)
        index = self.library.lexical()
        if int(allowed.sum()) <= EXACT_FILTERED_LIMIT:
            return self._exact([index.ids[i] for i in np.flatnonzero(allowed)], vector, depth)
        fetch = min(MAX_OVERFETCH, int(depth * 1.5 * len(allowed) / int(allowed.sum())))
        found = [(cid, score) for cid, score in store.nearest(vector, fetch)
                 if (row := index.position(cid)) is not None and allowed[row]][:depth]
        if len(found) < depth:
            # The graph's candidates ran out before enough allowed passages turned up (at 936k passages
            # a question about care leavers filtered to Cleveland found none): score exactly the allowed
            # passages that BM25 ranks highest for the question, and keep the best of both.
            lexical = np.where(allowed, index.scores(query), -1.0)
            ids = [index.ids[i] for i in np.argpartition(-lexical, EXACT_FILTERED_LIMIT)[:EXACT_FILTERED_LIMIT]]
            best = dict(found)
            best.update(self._exact(ids, vector, depth))
            found = sorted(best.items(), key=lambda item: -item[1])[:depth]
        return found

    def inspection_passages(self, query: str, hints: QueryHints, known: dict[str, Hit] | None = None) -> list[Hit]:
        """Of each inspection report of the councils named (those of the years named first, then newest
        first), the passages giving what the question asks of it (assistant/inspection_passages.py)."""
        parts = parts_asked(query, hints)
        if not parts:
            return []
        reports = self.inspection_reports(hints)
        if not reports:
            return []
        chunks: dict[str, list] = {}
        for chunk in self.library.store.documents([r.doc_id for r in reports]):
            chunks.setdefault(chunk.doc_id, []).append(chunk)
        found = {c.chunk_id: c for r in reports for c in key_passages(chunks.get(r.doc_id, []), parts, r)}
        return [(known or {}).get(cid) or Hit(chunk, 0.0) for cid, chunk in found.items()]

    def inspection_reports(self, hints: QueryHints) -> list[Report]:
        """The inspection reports of the councils named: those of the years named first, then newest first."""
        return in_order([Report(entry.doc_id, inspection.get("last_day") or entry.meta.get("meeting_date") or "",
                                entry.meta.get("council"), tuple(inspection.get("improvements") or ()))
                         for entry in self.library.manifest.documents.values()
                         if entry.meta.get("kind") == "inspection_report" and entry.meta.get("council") in hints.councils
                         for inspection in [entry.meta.get("inspection") or {}]], hints.years)

    def _verdicts_of(self, councils: tuple[str, ...], seen: set[str]) -> list[Hit]:
        """The headline judgements of the named councils' inspection reports, which a question about
        a verdict rarely shares words with ("How has Surrey's overall Ofsted verdict moved …")."""
        index = self.library.lexical()
        found = self._lexical(VERDICT_PROBE, 30, index.allowed(Filters(councils=councils)))
        return [h for h in self._hits_for([(cid, s) for cid, s in found if cid not in seen])
                if states_verdict(f"{h.chunk.heading or ''} {h.chunk.text}")]

    def _exact(self, ids: list[str], vector: np.ndarray, depth: int) -> list[tuple[str, float]]:
        """`ids` scored by cosine from their stored vectors, best `depth` first."""
        if not ids:
            return []
        scores = self.library.store.vectors(ids) @ vector
        return [(ids[i], float(scores[i])) for i in np.argsort(-scores)[:depth]]

    def lexical_ids(self, query: str, depth: int) -> list[str]:
        """The ids of the passages BM25 ranks best for `query`."""
        return [cid for cid, _ in self._lexical(query, depth)]

    def _lexical(self, query: str, depth: int, allowed: np.ndarray | None = None) -> list[tuple[str, float]]:
        index = self.library.lexical()
        scores = index.scores(query)
        if not len(scores):
            return []
        if allowed is not None:
            scores = np.where(allowed, scores, 0.0)
        top = np.argpartition(-scores, min(depth, len(scores) - 1))[:depth]
        top = top[np.argsort(-scores[top])]
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


def hint_rankings(hints: QueryHints, pool: list[Hit]) -> list[list[str]]:
    """Extra rankings over the candidate pool (kept in its fused order) for what the question
    says: passages from a council it names, from a year it names, the newest records first for
    "latest", substantive decisions for "what was resolved", and, for a question about an inspection's
    verdict, the passages that state one (each report's first before any report's second). Unknown
    metadata never puts a passage below one known to be wrong: in the council ranking the passages of the
    council named come first (by their metadata, or by their record's naming it when its council is
    unknown), then those of unknown council; only those of another council are left out. In the year
    ranking a passage of unknown date keeps its place."""
    rankings = []
    if hints.councils or hints.unstored:
        # Of the passages of unknown council, those of records that name a council asked about come first.
        asked = set(hints.councils + hints.unstored)
        naming: set[str] = set()
        for h in pool:  # one passage naming the council is enough for its record: read no more of it
            if h.chunk.meta.council is None and h.chunk.doc_id not in naming \
                    and asked & set(councils_named_in(h.chunk.text)):
                naming.add(h.chunk.doc_id)
        first = [h.chunk.chunk_id for h in pool if h.chunk.meta.council in hints.councils or h.chunk.doc_id in naming]
        rankings.append(first + [h.chunk.chunk_id for h in pool if h.chunk.meta.council is None
                                 and h.chunk.doc_id not in naming])
    if hints.years:
        # A meeting often reports on an earlier year ("the period September to December 2023" in January
        # 2024), so a passage naming the year counts as well as one dated in it.
        named = re.compile(r"\b(" + "|".join(str(y) for y in hints.years) + r")\b")
        rankings.append([h.chunk.chunk_id for h in pool if not h.chunk.meta.meeting_date
                         or int(h.chunk.meta.meeting_date[:4]) in hints.years or named.search(h.chunk.text)])
    if hints.wants_recent:
        rankings.append(newest_records_first(hints, pool))
    if hints.wants_decisions:
        rankings.append([h.chunk.chunk_id for h in pool if (h.chunk.decision and not h.chunk.decision.procedural)
                         or (not h.chunk.decision and reports_decision(h.chunk.text))])
    if hints.wants_verdict:
        # Only the named councils' verdicts: another council's grade is no answer about this one's.
        verdicts = [h.chunk for h in pool if states_verdict(f"{h.chunk.heading or ''} {h.chunk.text}")
                    and (not hints.councils or h.chunk.meta.council is None or h.chunk.meta.council in hints.councils)]
        firsts: dict[str, str] = {}
        for chunk in verdicts:
            firsts.setdefault(chunk.doc_id, chunk.chunk_id)
        first = list(firsts.values())
        rankings += [first + [c.chunk_id for c in verdicts if c.chunk_id not in first]] * TUNING.verdict_weight
    return [r for r in rankings if r]


def newest_records_first(hints: QueryHints, pool: list[Hit]) -> list[str]:
    """For "the latest", "most recent", "last": the best passage of each dated record among the best
    candidates, newest record first, and of the kind the question asks about when it names one ("when did
    Ofsted last inspect …" wants the newest inspection report, not the newest minutes that mention one).
    Records of another council than the one named are left out."""
    candidates = [h for h in pool[:TUNING.recent_depth] if h.chunk.meta.meeting_date
                  and (not hints.councils or h.chunk.meta.council in (None, *hints.councils))]
    if hints.kind and any(h.chunk.meta.kind == hints.kind for h in candidates):
        candidates = [h for h in candidates if h.chunk.meta.kind == hints.kind]
    best: dict[str, Hit] = {}
    for hit in candidates:  # in fused order: the first passage of a record is its best
        best.setdefault(hit.chunk.doc_id, hit)
    return [h.chunk.chunk_id for h in sorted(best.values(), key=lambda h: h.chunk.meta.meeting_date, reverse=True)]


def _shingles(text: str, n: int = 5) -> set[tuple[str, ...]]:
    words = collapse(text).lower().split()
    return {tuple(words[i:i + n]) for i in range(max(1, len(words) - n + 1))}


_FIGURE = re.compile(r"\d[\d,.:/]*")


def _copy_key(chunk) -> tuple[frozenset, str | None]:
    """What a copy of a passage shares with it beyond its words: its figures and dates, and its council."""
    return frozenset(_FIGURE.findall(chunk.text)), chunk.meta.council


def collapse_duplicates(hits: list[Hit], threshold: float = TUNING.duplicate_overlap) -> list[Hit]:
    """The same minutes often reappear in another body's papers: keep one passage of each
    near-duplicate group, at the best rank, citing the earliest meeting's copy. A copy carries the same
    figures and dates and is of the same council (or one unknown): two inspection reports' cover pages share
    most of their words, and differ in just what is asked about (the dates, the inspector, the council)."""
    kept: list[tuple[Hit, set, tuple]] = []  # each kept passage with its shingles and copy key, read once
    for hit in hits:
        shingles = _shingles(hit.chunk.text)
        figures, council = key = _copy_key(hit.chunk)
        for i, (other, other_shingles, (other_figures, other_council)) in enumerate(kept):
            if figures != other_figures or (council and other_council and council != other_council):
                continue
            overlap = len(shingles & other_shingles) / max(1, min(len(shingles), len(other_shingles)))
            if overlap >= threshold:
                older = min((other, hit), key=lambda h: h.chunk.meta.meeting_date or "9999")
                kept[i] = (Hit(older.chunk, other.score), *((other_shingles, kept[i][2]) if older is other
                                                              else (shingles, key)))
                break
        else:
            kept.append((hit, shingles, key))
    return [hit for hit, _, _ in kept]


def _fuse(rankings: list[list[str]], k: int) -> list[tuple[str, float]]:
    """Reciprocal rank fusion: each ranking adds 1 / (RRF_K + rank) to the ids it lists."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, chunk_id in enumerate(ranking, start=1):
            fused[chunk_id] = fused.get(chunk_id, 0.0) + 1.0 / (RRF_K + rank)
    return sorted(fused.items(), key=lambda item: -item[1])[:k]
