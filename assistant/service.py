"""The service the CLI and the app share: open a store, ingest into it, ask it questions."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Callable, ContextManager, Iterable, Iterator, Sequence

import numpy as np

from ingest.consistency import repair_if_needed
from ingest.embed import Embedder, load_embedder, load_reranker
from ingest.filters import NO_FILTERS, Filters
from ingest.lexical import tokenize
from ingest.library import Library
from ingest.pipeline import FileOutcome, IngestReport, ingest_paths, remove_documents
from ingest.progress import Progress, no_progress
from ingest.records import Hit
from ingest.text import collapse
from ingest.writer import store_lock

from . import abstain
from .abstention_reason import explain
from .answers import Answer, DecisionEntry
from .compose import (
    Candidate,
    answer_forms,
    candidate_sentences,
    compose,
    key_terms,
    missing_terms,
    restatements,
    sentence_relevance,
)
from .councils import councils_named_in, most_named, typed_councils_in
from .inspection_passages import gives_part, parts_asked
from .query import (
    QueryHints,
    analyse,
    asks_for_decisions,
    bodies_named,
    council_alias,
    earlier_questions,
    initialisms,
    is_held,
    load_vocabulary,
)
from .retrieval import RRF_K, Retriever
from .settings import Settings
from .tuning import TUNING


class QuestionError(ValueError):
    """A question that cannot be asked as it stands; the message says why in one line."""


def check_question(question: str, max_chars: int) -> str:
    question = re.sub(r"\s+", " ", question or "").strip()
    if not question:
        raise QuestionError("the question is empty")
    if len(question) > max_chars:
        raise QuestionError(f"the question is {len(question):,} characters long; the limit is {max_chars:,}")
    return question


_LEANS_ON_CONTEXT = re.compile(
    r"^(and|but|also|so|then|what about|how about|and what|why)\b|\b(that|this|it|its|they|them|their|those|these|"
    r"he|she|his|her|there|the same|above|previous|earlier)\b", re.I)


def standalone_query(question: str, history: Sequence[str]) -> str:
    """A follow-up ("And when is that update due?", "what about Rotherham?") leans on the turn before:
    retrieve with both. A question that stands on its own is left alone."""
    earlier = [h.strip() for h in earlier_questions(history) if h.strip()]
    if not earlier or not _LEANS_ON_CONTEXT.search(question):
        return question
    return f"{earlier[-1]} {question}"


@dataclass(frozen=True)
class Draft:
    question: str
    query: str  # the question as searched: with the turn before, for a follow-up
    hits: list[Hit]
    candidates: list[Candidate]
    relevance: np.ndarray
    hints: QueryHints
    signals: abstain.Signals
    asked: tuple[str, ...]  # the councils the question names, held or not (councils_asked)
    held: set[str]  # the councils the store holds records of, as far as these hits tell (councils_held)
    bodies_not_held: tuple[str, ...] = ()  # the committees, panels, boards it names that no record is of or names


@dataclass
class Assistant:
    settings: Settings
    embedder: Embedder
    library: Library
    # Told when a write has to wait for another process writing the same store (the CLI prints it).
    on_write_wait: Callable[[str], None] = field(default=lambda message: None, repr=False, compare=False)

    @classmethod
    def open(cls, settings: Settings, embedder: Embedder | None = None) -> "Assistant":
        embedder = embedder or load_embedder(settings.embedding_model, settings.threads)
        library = Library(settings.store, model_name=embedder.name, dimension=embedder.dimension,
                          chroma_url=settings.chroma_url)
        return cls(settings, embedder, library)

    @property
    def retriever(self) -> Retriever:
        reranker = load_reranker(self.settings.reranker) if self.settings.reranker else None
        return Retriever(self.library, self.embedder, load_vocabulary(self.settings.vocabulary), reranker)

    def writer(self, doing: str, on_wait: Callable[[str], None] | None = None) -> ContextManager[None]:
        """Be the store's one writer, across threads and processes (ingest/writer.py): two ingests, or an
        ingest and a delete, would each save a manifest missing the other's changes. Questions need no lock."""
        return store_lock(self.settings.store).hold(doing, self.settings.write_wait, on_wait or self.on_write_wait)

    def ingest(self, paths: Iterable[Path], *, prune: bool = False, progress: Progress = no_progress,
               jsonl_mapping: dict[str, str] | None = None) -> IngestReport:
        with self.writer("an ingest"):
            # Passages an earlier writer stored but never recorded (killed, or before the store's lock)
            # are put right first; the counts are compared cheaply, the passages read only if they differ.
            # Not with a shared Chroma server: the lock is this folder's, and another instance's ingest in
            # progress would look like passages nobody owns (`clerk check` is still there to run by hand).
            repaired = None if self.settings.chroma_url else repair_if_needed(
                self.library, self.embedder, parse_seconds=self.settings.parse_seconds)
            report = ingest_paths(paths, self.library, self.embedder, prune=prune, progress=progress,
                                  jsonl_mapping=jsonl_mapping, parse_seconds=self.settings.parse_seconds)
        if repaired:
            report.repaired = repaired.line
            report.outcomes[:0] = repaired.failed
        return report

    def delete_document(self, source: str, reason: str = "deleted") -> FileOutcome | None:
        """Drop one document (by its manifest key) from the store: its passages, its manifest entry,
        and so the lexical index at the next question. None when it was not in the store."""
        with self.writer("a delete"):
            self.library.reload_manifest()
            report = IngestReport()
            remove_documents([source], self.library, report, reason)
            self.library.lexical()
        return report.outcomes[0] if report.outcomes else None

    def ask(self, question: str, **options) -> Answer:
        """The answer: written by the language model when CLERK_LLM_URL is set, and held to the
        citation guarantees; otherwise, or when the model fails, the extractive answer.
        `options` are those of `extractive_answer`."""
        *_, answer = self._answers(question, stream=False, **options)
        return answer

    def ask_stream(self, question: str, **options) -> Iterator[str | Answer]:
        """Checked sentences (str) as the language model writes them, then the final Answer, which
        the caller shows in their place: it may be the extractive answer with a notice."""
        return self._answers(question, stream=True, **options)

    def _answers(self, question: str, *, stream: bool, **options) -> Iterator[str | Answer]:
        answer = self.extractive_answer(question, **options)
        if self.settings.llm_url and not answer.abstained:  # when the records are silent, no model is asked
            from .llm import write

            yield from write(answer, self.settings, stream=stream)
        else:
            yield answer

    def extractive_answer(self, question: str, *, history: Sequence[str] = (), k: int | None = None,
                          mode: str = "full", filters: Filters = NO_FILTERS) -> Answer:
        draft = self.draft(question, history=history, k=k, mode=mode, filters=filters)
        model = abstain.packaged_model()
        answers = bool(draft.hits) and not draft.bodies_not_held and model.answers(draft.signals,
                                                                                 self.settings.abstain_threshold)
        answer = compose(draft.question, draft.hits, draft.candidates, draft.relevance, answers=answers,
                         max_sentences=self.settings.answer_sentences, per_council=draft.hints.across_councils,
                         follow_up=draft.query != draft.question)
        if answer.abstained:  # say why, and what to do next; under filters, ask once more without them
            unfiltered = self.extractive_answer(question, history=history, k=k, mode=mode) if filters.active else None
            why = explain(draft.query, asked=draft.asked, held=draft.held, bodies_not_held=draft.bodies_not_held,
                          filters=filters, closest=answer.citations, unfiltered=unfiltered)
            answer = replace(answer, text=why.text, abstention_reason=why.reason)
        return replace(answer, standalone_question=draft.query if draft.query != draft.question else None,
                       filters=filters.to_json() if filters.active else None)

    def draft(self, question: str, *, history: Sequence[str] = (), k: int | None = None, mode: str = "full",
              filters: Filters = NO_FILTERS) -> "Draft":
        """Everything an answer is made from: the passages found, their sentences scored, and the signals
        that decide whether the records answer at all."""
        question = check_question(question, self.settings.max_question_chars)
        query = standalone_query(question, history)
        self.library.reload_manifest()
        hits = self.retriever.search(query, k or self.settings.k, mode=mode, filters=filters)
        candidates = candidate_sentences(hits)
        councils = self.library.councils()
        similarity = self._similarity(_without_names(query, councils), [c.text for c in candidates])
        hints = analyse(query, councils)
        candidates = self._inspection_parts(query, hints, hits, candidates)
        # A sentence ruled out scores -1.
        quotable = np.ones(len(candidates), dtype=bool) if hints.across_councils else self._quotable(query, hits, candidates)
        relevance = np.where(quotable, self._relevance(query, hits, candidates, similarity, councils), -1.0)
        asked, held = councils_asked(query), self.councils_held(hits)  # once: held reads whole records
        # Whether the records answer is judged on the whole conversation; for a follow-up, the sentences
        # quoted must answer the new question too ("Which part of the service was responsible for that
        # verdict?" is not answered by the verdict again).
        signals = self.signals(query, hits, relevance, hints, asked, held)
        if query != question:
            turn = self._similarity(_without_names(question, councils), [c.text for c in candidates])
            relevance = np.where(quotable, self._relevance(question, hits, candidates, (similarity + turn) / 2, councils),
                                 -1.0)
        return Draft(question, query, hits, candidates, relevance, hints, signals, asked, held,
                     self.bodies_not_held(query))

    def bodies_not_held(self, query: str) -> tuple[str, ...]:
        """The bodies a question names in full ("Children and Young People Scrutiny Committee") that no record
        is of (its committee) or names (among the passages BM25 ranks best for the name): a question about
        the minutes of a body the store has none of is not answered by its council's other records."""
        bodies = bodies_named(query)
        if not bodies:
            return ()
        held = " | ".join(collapse(e.meta.get("committee") or "").lower() for e in self.library.manifest.documents.values())
        missing = []
        for body in bodies:
            name = collapse(body).lower()
            if name in held:
                continue
            ranked = self.retriever.lexical_ids(body, BODY_DEPTH)
            if not any(name in collapse(c.indexed_text()).lower() for c in self.library.store.get(ranked)):
                missing.append(body)
        return tuple(missing)

    def councils_held(self, hits: list[Hit]) -> set[str]:
        """The councils the store holds records of: those its records are of, and, for each record found whose
        council is unknown, the council it names in most of its passages (a ModernGov page of Rutland's need
        not say so on top). Not every council such a record names: Kent's minutes mention Medway in passing."""
        unknown = list(dict.fromkeys(h.chunk.doc_id for h in hits if h.chunk.meta.council is None))
        passages: dict[str, list[str]] = {}
        for chunk in self.library.store.documents(unknown) if unknown else ():
            passages.setdefault(chunk.doc_id, []).append(chunk.text)
        return self.library.councils() | {name for texts in passages.values() for name in most_named(texts)}

    def signals(self, query: str, hits: list[Hit], relevance: np.ndarray, hints: QueryHints,
                asked: tuple[str, ...], held: set[str]) -> abstain.Signals:
        """What the abstention model reads about how well the passages found answer `query`; `asked` and
        `held` as `councils_asked` and `councils_held` give them."""
        names = [*hints.councils, *(n for h in hits for n in (h.chunk.meta.council, h.chunk.meta.committee) if n)]
        held_aliases = {council_alias(c) for c in held}
        not_held = [c for c in asked if not is_held(c, held_aliases)]
        key = key_terms(query)
        terms = abstain.content_terms(query, names)
        return abstain.Signals(
            best_relevance=float(relevance.max()) if len(relevance) else 0.0,
            rare_coverage=abstain.passage_coverage(terms, hits[:5], self.library.lexical().idf(sorted(terms)),
                                                   initialisms(query)),
            names_missing=len(missing_terms(query, hits)) / len(key) if key else 0.0,
            council_not_held=1.0 if asked and len(not_held) == len(asked) else 0.0,
            year_not_held=abstain.year_not_held(query, hits, hints.councils))

    def decisions(self, topic: str | None = None, *, filters: Filters = NO_FILTERS,
                  limit: int = 50) -> list[DecisionEntry]:
        """The precedent finder: substantive decisions under `filters`, at most `limit`. With a `topic`, the
        relevant ones (`relevant_decisions`) most relevant first, then the weaker matches, marked `weaker`;
        without one, newest first."""
        filters = replace(filters, decisions_only=True)
        self.library.reload_manifest()
        if topic and topic.strip():
            return self._precedents(check_question(topic, self.settings.max_question_chars), filters, limit)
        index = self.library.lexical()
        rows = np.flatnonzero(index.allowed(filters))
        dates = index.columns().dates[rows]
        if len(rows) > limit:  # fetch only the newest `limit` meetings' worth (ties kept), not every decision
            rows = rows[dates >= np.partition(dates, len(dates) - limit)[len(dates) - limit]]
        chunks = self.library.store.get([index.ids[i] for i in rows])
        chunks.sort(key=lambda c: (c.source, c.page, c.start))  # record order within a meeting
        chunks.sort(key=lambda c: c.meta.meeting_date or "", reverse=True)
        return [DecisionEntry.from_hit(n, Hit(c, 0.0)) for n, c in enumerate(chunks[:limit], start=1)]

    def _precedents(self, topic: str, filters: Filters, limit: int) -> list[DecisionEntry]:
        """The decisions found for `topic`: the relevant ones first, then the weaker matches."""
        hits, context = self._decisions_about(topic, filters, limit)
        terms = sorted(set(tokenize([topic])[0]))
        relevant = relevant_decisions(hits, self.library.lexical().idf(terms), self._discussed(hits, context))
        ranked = [(h, False) for h, r in zip(hits, relevant) if r] + [(h, True) for h, r in zip(hits, relevant) if not r]
        return [DecisionEntry.from_hit(n, h, weaker=w) for n, (h, w) in enumerate(ranked, start=1)]

    def _decisions_about(self, topic: str, filters: Filters, limit: int) -> tuple[list[Hit], list[Hit]]:
        """Decisions ranked by their own words and by how well the discussion of their item matches:
        "That the report be noted" says nothing of care leavers; the item it closes may say a lot. With the
        passages found for the topic, decisions or not."""
        direct = self.retriever.search(topic, max(3 * limit, ITEM_DEPTH), filters=filters)
        context = self.retriever.search(topic, ITEM_DEPTH, filters=replace(filters, decisions_only=False))
        item_rank: dict[tuple, int] = {}
        for rank, hit in enumerate(context, start=1):
            item_rank.setdefault(hit.chunk.item_key(), rank)
        scores = {h.chunk.chunk_id: 1 / (RRF_K + rank) + (1 / (RRF_K + item_rank[h.chunk.item_key()])
                                                          if h.chunk.item_key() in item_rank else 0.0)
                  for rank, h in enumerate(direct, start=1)}
        ranked = sorted(direct, key=lambda h: -scores[h.chunk.chunk_id])[:limit]
        return [Hit(h.chunk, round(scores[h.chunk.chunk_id], 5)) for h in ranked], context

    def _discussed(self, decisions: list[Hit], passages: list[Hit]) -> dict[str, str]:
        """The text of `passages` in the discussion each decision closes, by its chunk id: a passage of the same
        record before it, after the record's decision before it, and not under another numbered item. Item
        headings alone are no guide: "During discussions the following was noted:" is one line inside an item
        whose report names what the decision is about (Rotherham's action plan, for care leavers)."""
        wanted = {_place(h.chunk.chunk_id)[0] for h in decisions}
        index = self.library.lexical()
        closing: dict[str, list[tuple[int, int, str]]] = {}  # record -> (page, start, chunk id) of its decisions
        for row in np.flatnonzero(index.columns().decisions):
            record, page, start = _place(index.ids[row])
            if record in wanted:
                closing.setdefault(record, []).append((page, start, index.ids[row]))
        found = {h.chunk.chunk_id: h.chunk for h in decisions}
        said: dict[str, list[str]] = {}
        for hit in passages:
            record, page, start = _place(hit.chunk.chunk_id)
            ends = sorted(closing.get(record, []))
            at = bisect.bisect_right(ends, (page, start, ""))  # the first decision at or after the passage
            decision = found.get(ends[at][2]) if at < len(ends) else None
            if decision and decision.chunk_id != hit.chunk.chunk_id and _same_item(decision, hit.chunk):
                said.setdefault(decision.chunk_id, []).append(hit.chunk.text)
        return {chunk_id: " ".join(texts) for chunk_id, texts in said.items()}

    def inspection_links(self, timeline: list[dict], mode: str = "lexical") -> dict[str, list]:
        """The meetings that speak to each inspection of `timeline` (councils with their inspections, as
        `clerk inspections` lists them) and to each of its points, by the report's source: the passages found
        within the council's records of the window (inspection_links.links), each record read whole once."""
        from . import inspection_links as il

        index = self.library.lexical()
        if not index.ids:
            return {}
        columns, retriever = index.columns(), self.retriever
        names, codes = columns.kinds
        not_reports = ~np.isin(codes, [i for i, kind in enumerate(names) if kind == "inspection_report"])
        unknown_council = np.isin(columns.councils[1], [i for i, c in enumerate(columns.councils[0]) if not c])
        found: dict[str, tuple] = {}
        for council in timeline:
            ours = (index.allowed(Filters(councils=(council["council"],))) | unknown_council) & not_reports
            for inspection in council["inspections"]:
                span = il.window(inspection, council["inspections"])
                if span is None:
                    continue
                start, end = (int(d.replace("-", "")) for d in (span.start, span.end))
                within = ours & ((columns.dates == 0) | ((columns.dates >= start) & (columns.dates <= end)))
                if not within.any():
                    continue
                queries = [(None, il.PLAN_QUERY)] + [(n, f"{point} {il.PLAN_QUERY}")
                                                     for n, point in enumerate(inspection["improvements"], start=1)]
                found[inspection["source"]] = (council["council"], span, [
                    (n, retriever.search(query, LINK_DEPTH, mode=mode, within=within)) for n, query in queries])
        doc_ids = sorted({h.chunk.doc_id for _, _, hits in found.values() for _, found_hits in hits for h in found_hits})
        chunks: dict[str, list] = {}
        for chunk in self.library.store.documents(doc_ids) if doc_ids else ():
            chunks.setdefault(chunk.doc_id, []).append(chunk)
        records = {doc_id: il.record_facts(texts) for doc_id, texts in chunks.items()}
        terms = sorted({t for council in timeline for i in council["inspections"] for p in i["improvements"]
                        for t in il.point_terms(p)})
        idf = index.idf(terms)
        by_source = {i["source"]: i for council in timeline for i in council["inspections"]}
        return {source: il.links(by_source[source], council, span, hits, records, idf)
                for source, (council, span, hits) in found.items()}

    def _quotable(self, query: str, hits: list[Hit], candidates: list[Candidate]) -> np.ndarray:
        """Which sentences may be quoted: only those of records that mention every name the question is
        about and one of its years. Bramford's footpath to Westbury says nothing of when Westbury's meeting
        closed, and a 2017 report on Manchester nothing of its 2026 meeting. Whole records are read,
        because a passage of Rutland's minutes need not say "Rutland"."""
        if not key_terms(query) or not hits:
            return np.ones(len(candidates), dtype=bool)
        # Only records whose passage found does not itself mention everything are read whole, and those of
        # unknown council when the question names councils.
        asked = set(councils_asked(query))
        short = {h.chunk.doc_id for h in hits if missing_terms(query, [h], any_year=True)}
        unknown = {h.chunk.doc_id for h in hits if asked and h.chunk.meta.council is None}
        records: dict[str, list[Hit]] = {}
        for chunk in self.library.store.documents(list(short | unknown)) if short | unknown else ():
            records.setdefault(chunk.doc_id, []).append(Hit(chunk, 0.0))
        # A record of unknown council is another council's when it names that one most and never the one asked
        # about most: Kent's minutes mention Medway in passing, and say nothing of Medway's foster carers.
        others = {doc for doc in unknown if (named := set(most_named(h.chunk.text for h in records.get(doc, []))))
                  and not named & asked}
        about = [h.chunk.doc_id not in others and (h.chunk.doc_id not in short or not missing_terms(
                 query, records.get(h.chunk.doc_id, [h]), any_year=True)) for h in hits]
        return np.asarray([about[c.hit_index] for c in candidates], dtype=bool)

    def _relevance(self, question: str, hits: list[Hit], candidates: list[Candidate],
                   similarity: np.ndarray, councils: set[str]) -> np.ndarray:
        # Names of the councils and bodies found say nothing about which of their sentences answers:
        # "Oakley Town Council Minutes of the meeting held on …" is not when Oakley's meeting closed.
        names = " ".join(filter(None, (v for h in hits for v in (h.chunk.meta.council, h.chunk.meta.committee))))
        terms = set(tokenize([question])[0]) - set(tokenize([names])[0] if names else ())
        hints = analyse(question, councils)
        return sentence_relevance(candidates, similarity, _term_overlap(terms, [c.text for c in candidates]),
                                  decisions_wanted=asks_for_decisions(question),
                                  verdict_wanted=hints.wants_verdict, unasked=restatements(candidates, terms),
                                  forms=answer_forms(question, candidates))

    def _inspection_parts(self, question: str, hints: QueryHints, hits: list[Hit],
                          candidates: list[Candidate]) -> list[Candidate]:
        """For a question about the inspections of councils it names, the sentences of their reports that
        give what it asks (the dates and lead inspector, the verdict, the improvement points) are marked as
        such; for "the last inspection", those of each council's newest report, and the others of its older
        reports are marked as superseded."""
        parts = parts_asked(question, hints)
        reports = {r.doc_id: r for r in self.retriever.inspection_reports(hints)} if parts else {}
        if not reports:
            return candidates
        newest: dict[str | None, str] = {}
        for report in reports.values():  # newest first: each council's first report is its newest
            newest.setdefault(report.council, report.doc_id)
        marked = []
        for candidate in candidates:
            report = reports.get(hits[candidate.hit_index].chunk.doc_id)
            current = not hints.wants_recent or report is None or newest[report.council] == report.doc_id
            marked.append(replace(candidate, part=bool(report) and current and gives_part(candidate.text, parts, report),
                                  superseded=bool(report) and not current))
        return marked

    def _similarity(self, query: str, texts: list[str]) -> np.ndarray:
        if not texts:
            return np.zeros(0, dtype=np.float32)
        vectors = self.embedder.encode([query, *texts])
        return vectors[1:] @ vectors[0]


# How many passages are searched for an inspection and for each of its points: deeper ones rarely pass the
# coverage floor, and a meeting's best passage is among the first it has.
LINK_DEPTH = 20

# How many of the passages BM25 ranks best for a body's name are read for it: every word of a body's full name
# is in each passage that names it, so those rank near the top; but its words can be common ("Cabinet Member for
# Children" named once was 63rd of 6,375 passages in seeds + dev + dev2), hence the margin.
BODY_DEPTH = 300
# How many passages a topic's item discussions are searched to: an item found deeper adds nothing to its decisions.
ITEM_DEPTH = 30


def relevant_decisions(hits: list[Hit], idf: dict[str, float], discussed: dict[str, str] | None = None) -> list[bool]:
    """Which decisions found for a topic are about it, not just the nearest there are: those whose words (with
    their lead-in, their item heading and what `discussed` holds of the discussion they close, by chunk id)
    carry most of the weight of the topic's words `idf` (stemmed, with their idf), and that score within a
    share of the best (TUNING). A fixed number would list mole hills and beacons after the six decisions on
    care leavers; a topic of no known word has nothing relevant."""
    weight = sum(idf.values())
    best = max((h.score for h in hits), default=0.0)
    if not weight or best <= 0:
        return [False] * len(hits)
    discussed = discussed or {}
    said = [set(words) for words in tokenize([" ".join(filter(None, (h.chunk.lead, h.chunk.heading, h.chunk.text,
                                                                     discussed.get(h.chunk.chunk_id))))
                                              for h in hits])]
    return [sum(w for t, w in idf.items() if t in words) / weight >= TUNING.precedent_coverage
            and h.score >= TUNING.precedent_score_share * best for h, words in zip(hits, said)]


def _place(chunk_id: str) -> tuple[str, int, int]:
    """A passage's record (or record part), page and offset, from its id ("<record>:p<page>:<start>")."""
    record, _, place = chunk_id.rpartition(":p")
    page, _, start = place.partition(":")
    return record, int(page), int(start)


def _same_item(decision, passage) -> bool:
    """False when the record numbers its items and the two are under different ones: a report with no decision
    of its own is not the discussion of the next item's decision."""
    numbers = [c.meta.minute or c.meta.item for c in (decision, passage)]
    return None in numbers or numbers[0] == numbers[1]


def councils_asked(query: str) -> tuple[str, ...]:
    """The councils a question names, whether or not the store holds their records: UK principal councils by
    any name they go by, and any council named with its type ("Winnipeg City Council", "Town of Oakville")."""
    uk = councils_named_in(query)
    aliases = {council_alias(c) for c in uk}
    # A typed name that holds a UK council's ("Kent County Council" read as "Visit Kent County Council") is that one.
    return uk + tuple(c for c in typed_councils_in(query) if council_alias(c) not in aliases and not councils_named_in(c))


def _without_names(query: str, councils: set[str]) -> str:
    """The question without the councils it names ("Oakley Town Council's", "Rutland's")."""
    for name in sorted(councils, key=lambda n: (-len(n), n)):
        for form in filter(None, dict.fromkeys((name, council_alias(name)))):  # the full name first
            query = re.sub(rf"\b{re.escape(form)}(?:[’']s)?\b", " ", query, flags=re.I)
    return re.sub(r"\s+", " ", query).strip() or query


def _term_overlap(terms: set[str], texts: list[str]) -> np.ndarray:
    """Share of the question's (stemmed, stop-worded) `terms` that a sentence contains."""
    if not terms or not texts:
        return np.zeros(len(texts), dtype=np.float32)
    return np.asarray([len(terms & set(tokens)) / len(terms) for tokens in tokenize(texts)], dtype=np.float32)
