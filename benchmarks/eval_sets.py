"""Seeds, dev and dev2 side by side: each retrieval mode beside plain BM25, on each set's own store, and
dev2 again inside the combined store (seeds + dev + dev2), in one table.

    .venv/bin/python benchmarks/eval_sets.py [--work DIR] [--rebuild] [--sets seeds,dev,dev2,combined]
                                             [--modes dense,lexical,hybrid,full] [--answers] [--k 10]

Retrieval figures (recall@1/5/10, MRR@10) come from the ranking alone. `--answers` also composes the
answers of `full` mode, as `clerk eval` does, for answered / abstained / evidence cited / citation validity, and
ranks the answers' sources as `clerk eval` does ("full, as answered": the passages quoted first).
Vectors are cached by text under WORK/vectors, so a rebuild after a change to parsing or metadata
re-embeds only the passages whose indexed text changed (the model is still the one `clerk` loads).
"""
from __future__ import annotations

import argparse
import hashlib
import shutil
import sqlite3
import sys
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from assistant.evaluate import load_questions, summarise  # noqa: E402
from assistant.retrieval import MODES  # noqa: E402
from assistant.service import Assistant, standalone_query  # noqa: E402
from assistant.settings import Settings  # noqa: E402
from ingest.text import collapse  # noqa: E402

SHARED = ROOT.parent / "shared" / "corpus"
DEV = [SHARED / "dev" / d for d in ("ofsted", "parish", "us", "moderngov", "kent-items")]
SETS = {  # name: (record paths, questions)
    "seeds": ([SHARED / "seeds"], SHARED / "questions.jsonl"),
    "dev": (DEV, SHARED / "dev" / "questions.jsonl"),
    "dev2": ([SHARED / "dev2" / "records"], SHARED / "dev2" / "questions.jsonl"),
    "combined": ([SHARED / "seeds", *DEV, SHARED / "dev2" / "records"], SHARED / "dev2" / "questions.jsonl"),
}


@dataclass
class CachedEmbedder:
    """The real embedder, remembering each text's vector in SQLite: a benchmark aid, not for the app."""

    inner: object
    path: Path

    def __post_init__(self):
        self.name, self.dimension = self.inner.name, self.inner.dimension
        self.db = sqlite3.connect(self.path)
        self.db.execute("create table if not exists v (k blob primary key, v blob)")

    def encode(self, texts, batch_size: int = 32) -> np.ndarray:
        keys = [hashlib.blake2b(f"{self.name}\0{t}".encode(), digest_size=16).digest() for t in texts]
        found = {}
        for i in range(0, len(keys), 500):
            part = keys[i:i + 500]
            rows = self.db.execute(f"select k, v from v where k in ({','.join('?' * len(part))})", part)
            found.update({k: np.frombuffer(v, dtype=np.float32) for k, v in rows})
        missing = [i for i, k in enumerate(keys) if k not in found]
        if missing:
            vectors = self.inner.encode([texts[i] for i in missing], batch_size=batch_size)
            self.db.executemany("insert or replace into v values (?, ?)",
                                [(keys[i], vectors[j].astype(np.float32).tobytes()) for j, i in enumerate(missing)])
            self.db.commit()
            found.update({keys[i]: vectors[j] for j, i in enumerate(missing)})
        return np.stack([found[k] for k in keys]) if keys else np.zeros((0, self.dimension), dtype=np.float32)


class PlainBM25:
    """The baseline: bm25s with its defaults (English stop words, Snowball stemmer) over the passages'
    own text, no context, no synonyms, no fusion."""

    def __init__(self, chunks):
        import bm25s
        import Stemmer

        self.stemmer = Stemmer.Stemmer("english")
        self.chunks = chunks
        self.retriever = bm25s.BM25()
        self.retriever.index(bm25s.tokenize([c.text for c in chunks], stopwords="en", stemmer=self.stemmer,
                                            show_progress=False), show_progress=False)

    def search(self, query: str, k: int):
        import bm25s

        tokens = bm25s.tokenize([query], stopwords="en", stemmer=self.stemmer, return_ids=False,
                                show_progress=False)
        tokens = [[t for t in tokens[0] if t in self.retriever.vocab_dict]]
        if not tokens[0]:
            return []
        docs, _ = self.retriever.retrieve(tokens, k=min(k, len(self.chunks)), show_progress=False)
        return [self.chunks[i] for i in docs[0]]


def holds(chunk, doc: str, evidence: str) -> bool:
    return Path(chunk.source).name == Path(doc).name and collapse(evidence) in collapse(chunk.text)


def retrieval_figures(ranked: list[list], questions) -> dict:
    ranks = []
    for chunks, q in zip(ranked, questions):
        ranks.append(next((r for r, c in enumerate(chunks, 1) if holds(c, q.doc, q.evidence)), None))
    n = len(ranks) or 1
    return {"recall@1": sum(r is not None and r <= 1 for r in ranks) / n,
            "recall@5": sum(r is not None and r <= 5 for r in ranks) / n,
            "recall@10": sum(r is not None and r <= 10 for r in ranks) / n,
            "mrr@10": sum(1 / r for r in ranks if r is not None and r <= 10) / n}


def open_store(name: str, work: Path, embedder, rebuild: bool) -> Assistant:
    store = work / name
    if rebuild and store.exists():
        shutil.rmtree(store)
    assistant = Assistant.open(Settings(store=store), embedder=embedder)
    t0 = time.perf_counter()
    report = assistant.ingest(SETS[name][0])
    if report.count("added") or report.count("updated"):
        print(f"# {name}: ingested in {time.perf_counter() - t0:.0f} s", file=sys.stderr)
    return assistant


def evaluate_set(name: str, assistant: Assistant, modes: list[str], k: int, answers: bool) -> dict[str, dict]:
    questions = [q for q in load_questions(SETS[name][1])]
    answerable = [q for q in questions if q.answerable]
    queries = [standalone_query(q.question, q.history) for q in answerable]
    rows = {}
    retriever = assistant.retriever
    for mode in modes:
        rows[mode] = retrieval_figures([[h.chunk for h in retriever.search(query, k, mode=mode)] for query in queries],
                                       answerable)
    index = assistant.library.lexical()
    bm25 = PlainBM25(assistant.library.store.get(index.ids))
    rows["BM25"] = retrieval_figures([bm25.search(query, k) for query in queries], answerable)
    if answers:
        timed = []
        for q in questions:
            t0 = time.perf_counter()
            answer = assistant.ask(q.question, history=q.history, k=k, mode="full")
            timed.append((q, answer, time.perf_counter() - t0))
        summary = summarise(timed)
        rows["full"].update({c: summary[c] for c in ("answered_when_answerable", "abstained_when_unanswerable",
                                                     "evidence_cited", "citation_validity")})
        # As clerk eval ranks: the answer's sources, the passages it quotes first.
        rows["full, as answered"] = {c: summary[c] for c in ("recall@1", "recall@5", "recall@10", "mrr@10")}
    return rows


COLUMNS = ["recall@1", "recall@5", "recall@10", "mrr@10", "answered_when_answerable",
           "abstained_when_unanswerable", "evidence_cited", "citation_validity"]


def table(results: dict[str, dict[str, dict]]) -> str:
    lines = ["| set | mode | " + " | ".join(COLUMNS) + " |", "|---" * (len(COLUMNS) + 2) + "|"]
    for name, rows in results.items():
        for mode, figures in rows.items():
            cells = [f"{figures[c]:.3f}" if isinstance(figures.get(c), float) else str(figures.get(c, "–"))
                     for c in COLUMNS]
            lines.append(f"| {name} | {mode} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--work", type=Path, default=Path("/tmp/clerk-eval-sets"), help="stores and the vector cache")
    parser.add_argument("--rebuild", action="store_true", help="ingest every set again from nothing")
    parser.add_argument("--sets", default="seeds,dev,dev2,combined")
    parser.add_argument("--modes", default=",".join(MODES))
    parser.add_argument("--answers", action="store_true", help="also compose full-mode answers, as clerk eval")
    parser.add_argument("--k", type=int, default=10)
    args = parser.parse_args(argv)
    if not SHARED.is_dir():
        print(f"no shared corpus at {SHARED}", file=sys.stderr)
        return 2
    from ingest.embed import load_embedder

    args.work.mkdir(parents=True, exist_ok=True)
    embedder = CachedEmbedder(load_embedder(), args.work / "vectors.sqlite")
    results = {}
    for name in args.sets.split(","):
        assistant = open_store(name, args.work, embedder, args.rebuild)
        results[name if name != "combined" else "dev2 in combined"] = evaluate_set(
            name, assistant, args.modes.split(","), args.k, args.answers)
        print(table({name: results[name if name != "combined" else "dev2 in combined"]}), file=sys.stderr)
    print(table(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
