"""Query latency per retrieval mode on synthetic stores of 10k, 100k and 1M chunks built from the real ones.

The real records are ingested once (or `--from-store` reuses a store), then their chunks are copied
until each size is reached: copy r > 0 gets new ids, doc ids and sources, meeting dates moved back r
weeks, a few words of its text swapped for other corpus words (so BM25 and the boilerplate filter are
not degenerate), and its vector = the real vector + gaussian noise, re-normalised (no re-encoding).
Council names are kept, so a council filter keeps the same share of a synthetic store as of the real one.

Each size runs in its own process, so its peak RSS is its own. Printed per size: build time (Chroma
adds, BM25 rebuild), p50/p95 ms of `Retriever.search` per mode (the query's encoding included), Chroma
dense query unfiltered against `where={"council": X}` (no encoding: vectors precomputed), and HNSW
recall@10 of Chroma's dense top 10 against exact cosine (numpy) over the same vectors. Not a test.

    .venv/bin/python benchmarks/query_latency.py --sizes 10000,100000 [--from-store DIR]
"""
from __future__ import annotations

import argparse
import collections
import dataclasses
import datetime
import json
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_PATHS = ["seeds", "dev/ofsted", "dev/parish", "dev/us", "dev/moderngov", "dev/kent-items"]
MODES = ("dense", "lexical", "hybrid", "full")
BATCH = 4000  # Chroma refuses add batches above 5,461


def percentile_ms(seconds: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(seconds) * 1000, q))


def load_questions(limit: int) -> list[str]:
    questions = []
    for path in (CORPUS / "questions.jsonl", CORPUS / "dev" / "questions.jsonl"):
        questions += [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines()
                      if line.strip()]
    return questions[:limit]


# ---------------------------------------------------------------- synthetic corpus

def variant(chunk, copy: int, rnd: random.Random, vocab: list[str], swaps: int):
    """Copy `copy` of a real chunk: new ids, a shifted date, `swaps` words substituted."""
    if copy == 0:
        return chunk
    meta = chunk.meta
    if meta.meeting_date:
        shifted = datetime.date.fromisoformat(meta.meeting_date) - datetime.timedelta(weeks=copy)
        meta = dataclasses.replace(meta, meeting_date=shifted.isoformat())
    words = chunk.text.split(" ")
    for _ in range(swaps):
        words[rnd.randrange(len(words))] = rnd.choice(vocab)
    return dataclasses.replace(chunk, chunk_id=f"{chunk.chunk_id}~{copy}", doc_id=f"{chunk.doc_id}~{copy}",
                               source=f"{chunk.source}#copy{copy}", text=" ".join(words), meta=meta)


def write_copies(store, chunks, vectors: np.ndarray, rows: range, args, all_vectors: np.ndarray | None = None):
    """Add synthetic chunks `rows` (row r is copy r // n of real chunk r % n) to `store`, in batches, until
    done or past --max-build-minutes. Returns (chunks written per (source, doc_id), rows written, add seconds)."""
    rnd, rng = random.Random(args.seed + rows.start), np.random.default_rng(args.seed + rows.start)
    vocab = sorted({w for c in chunks for w in re.findall(r"[A-Za-z]{4,}", c.text)})
    n_real = len(chunks)
    per_source: collections.Counter = collections.Counter()
    started, add_seconds, written = time.perf_counter(), 0.0, 0
    for start in range(rows.start, rows.stop, BATCH):
        index = np.arange(start, min(rows.stop, start + BATCH))
        copies = index // n_real
        batch = [variant(chunks[i % n_real], int(r), rnd, vocab, args.swaps) for i, r in zip(index, copies)]
        vec = vectors[index % n_real] + rng.normal(0, args.noise, (len(index), vectors.shape[1])) * (copies > 0)[:, None]
        vec = (vec / np.linalg.norm(vec, axis=1, keepdims=True)).astype(np.float32)
        t0 = time.perf_counter()
        store.add(batch, vec)
        add_seconds += time.perf_counter() - t0
        if all_vectors is not None:
            all_vectors[start - rows.start:start - rows.start + len(index)] = vec
        per_source.update((c.source, c.doc_id) for c in batch)
        written += len(index)
        if time.perf_counter() - started > args.max_build_minutes * 60 and written < len(rows):
            print(f"  build stopped after {written:,} chunks: over --max-build-minutes {args.max_build_minutes}",
                  flush=True)
            break
        if ((start - rows.start) // BATCH) % 25 == 24:
            print(f"  {written:,} chunks written, {time.perf_counter() - started:.0f} s", flush=True)
    return per_source, written, add_seconds


def record_copies(manifest, real_manifest, per_source) -> None:
    """Name every synthetic document in `manifest`, one revision on, so the BM25 index reads them."""
    from ingest.manifest import ManifestEntry

    manifest.revision += 1
    for (source, doc_id), count in per_source.items():
        real = real_manifest.documents[source.split("#copy")[0]]
        previous = manifest.documents.get(source)
        manifest.documents[source] = ManifestEntry(doc_id, real.sha256, count + (previous.chunks if previous else 0),
                                                   dict(real.meta))
    manifest.save()


def build(root: Path, chunks, vectors: np.ndarray, manifest, size: int, args, embedder):
    """Write a synthetic store of `size` chunks at `root`; returns (Library, all vectors, timings)."""
    from ingest.library import Library
    from ingest.manifest import Manifest
    from ingest.store import Store

    store = Store(root / "chroma", model_name=embedder.name, dimension=embedder.dimension)
    all_vectors = np.empty((size, vectors.shape[1]), dtype=np.float32)
    started = time.perf_counter()
    per_source, written, add_seconds = write_copies(store, chunks, vectors, range(size), args, all_vectors)
    record_copies(Manifest(root / "manifest.json", revision=manifest.revision), manifest, per_source)
    library = Library(root, model_name=embedder.name, dimension=embedder.dimension)
    t0 = time.perf_counter()
    library.rebuild_lexical()
    lexical_seconds = time.perf_counter() - t0
    timings = {"add_s": add_seconds, "lexical_s": lexical_seconds, "build_s": time.perf_counter() - started}
    return library, all_vectors[:written], timings


def grow(root: Path, target: int, args) -> None:
    """`--reuse DIR --grow-to N --from-store SRC`: add copies to a kept store until it holds N passages
    (copy numbers after those it has, so no id is reused), then update its manifest and BM25 index."""
    from ingest.embed import load_embedder
    from ingest.library import Library

    embedder = load_embedder()
    source = Library(args.from_store, model_name=embedder.name, dimension=embedder.dimension)
    chunks = list(source.store.iter_chunks())
    vectors = source.store.vectors([c.chunk_id for c in chunks])
    library = Library(root, model_name=embedder.name, dimension=embedder.dimension)
    have = library.store.count()
    if have >= target:
        print(f"{root} already holds {have:,} passages")
        return
    first = (have // len(chunks) + 1) * len(chunks)
    print(f"growing {root} from {have:,} to {target:,} passages...", flush=True)
    per_source, written, add_seconds = write_copies(library.store, chunks, vectors,
                                                    range(first, first + target - have), args)
    record_copies(library.manifest, source.manifest, per_source)
    t0 = time.perf_counter()
    library = Library(root, model_name=embedder.name, dimension=embedder.dimension)
    library.rebuild_lexical()
    print(f"added {written:,} passages in {add_seconds:.0f} s of Chroma adds; BM25 update {time.perf_counter() - t0:.0f} s; "
          f"the store holds {library.store.count():,}", flush=True)


# ---------------------------------------------------------------- measuring

def time_calls(fn, items, warm: int) -> list[float]:
    for item in items[:warm]:
        fn(item)
    seconds = []
    for item in items:
        t0 = time.perf_counter()
        fn(item)
        seconds.append(time.perf_counter() - t0)
    return seconds


def measure_size(size: int, args) -> dict:
    from assistant.retrieval import Retriever
    from ingest.embed import load_embedder
    from ingest.library import Library

    embedder = load_embedder()
    source = Library(args.from_store, model_name=embedder.name, dimension=embedder.dimension)
    chunks = list(source.store.iter_chunks())
    vectors = source.store.vectors([c.chunk_id for c in chunks])
    root = Path(tempfile.mkdtemp(prefix=f"clerk-bench-{size}-", dir=args.work_dir))
    try:
        library, all_vectors, result = build(root, chunks, vectors, source.manifest, size, args, embedder)
        reached = library.store.count()
        # A fresh Library, as a new process would open it: it must take the saved BM25 index as current.
        library = Library(root, model_name=embedder.name, dimension=embedder.dimension)
        t0 = time.perf_counter()
        lexical_ids = len(library.lexical().ids)
        result["lexical_open_s"] = time.perf_counter() - t0
        assert reached == len(all_vectors) == lexical_ids, (reached, len(all_vectors), lexical_ids)
        result.update(size=size, reached=reached, real_chunks=len(chunks),
                      disk_mb=sum(f.stat().st_size for f in root.rglob("*") if f.is_file()) / 2**20)

        questions = load_questions(args.questions)
        retriever = Retriever(library, embedder)
        for mode in MODES:
            seconds = time_calls(lambda q: retriever.search(q, args.k, mode=mode), questions, args.warm)
            result[mode] = (percentile_ms(seconds, 50), percentile_ms(seconds, 95))

        # Clerk's own filtered search (facet mask + exact scoring or over-fetch), against unfiltered.
        from ingest.filters import Filters

        real_councils = collections.Counter(c.meta.council for c in chunks if c.meta.council)
        for label, (council, _) in (("common", real_councils.most_common()[0]), ("rare", real_councils.most_common()[-1])):
            only = Filters(councils=(council,))
            for mode in ("dense", "full"):
                seconds = time_calls(lambda q: retriever.search(q, args.k, mode=mode, filters=only), questions, args.warm)
                result[f"clerk_{mode}_{label}"] = _p(seconds)

        qvecs = embedder.encode(questions)
        store = library.store
        result["encode_ms"] = _p(time_calls(lambda q: embedder.encode([q]), questions, args.warm))[0]
        result["count_ms"] = _p(time_calls(lambda _: store.count(), list(qvecs), args.warm))[0]
        result["store_query"] = _p(time_calls(lambda v: store.query(v, args.k), list(qvecs), args.warm))
        councils = collections.Counter(c.meta.council for c in chunks if c.meta.council)
        for label, (council, n) in (("common", councils.most_common()[0]), ("rare", councils.most_common()[-1])):
            seconds = time_calls(lambda v: store.query(v, args.k, where={"council": council}), list(qvecs), args.warm)
            result[f"filtered_{label}"] = _p(seconds) + (council, n / len(chunks))

        exact = all_vectors @ qvecs.T  # cosine: every vector is unit length
        real_rows = {c.chunk_id: i for i, c in enumerate(chunks)}

        def row_of(chunk_id: str) -> int:  # copy r of real row i was written at row r * n_real + i
            base, _, copy = chunk_id.partition("~")
            return int(copy or 0) * len(chunks) + real_rows[base]

        recalls, tolerant = [], []
        for j, v in enumerate(qvecs):
            truth = np.argpartition(-exact[:, j], args.k)[:args.k]
            got = [row_of(h.chunk.chunk_id) for h in store.query(v, args.k)]
            recalls.append(len(set(truth) & set(got)) / args.k)
            # Near-copies tie: also count a hit as right when its cosine is within 0.01 of the exact k-th best.
            tolerant.append(float(np.mean(exact[got, j] >= exact[truth, j].min() - 0.01)) if got else 0.0)
        result["recall"] = float(np.mean(recalls))
        result["min_recall"] = float(np.min(recalls))
        result["recall_tolerant"] = float(np.mean(tolerant))
        result["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        return result
    finally:
        if not args.keep:
            shutil.rmtree(root, ignore_errors=True)


def measure_existing(root: Path, args) -> None:
    """`--reuse DIR`: latency per mode, and with a council filter, on a store kept by an earlier `--keep`
    run, without building anything. Recall@10 is not measured (it needs every vector in memory)."""
    from assistant.retrieval import Retriever
    from ingest.embed import load_embedder
    from ingest.filters import Filters
    from ingest.library import Library

    embedder = load_embedder()
    library = Library(root, model_name=embedder.name, dimension=embedder.dimension)
    t0 = time.perf_counter()
    index = library.lexical()
    print(f"{len(index.ids):,} passages; BM25 index opened in {time.perf_counter() - t0:.1f} s")
    questions = load_questions(args.questions)
    retriever = Retriever(library, embedder)
    names, codes = index.columns().councils
    counts = collections.Counter(codes.tolist())
    councils = {"common": names[counts.most_common()[0][0]], "rare": names[counts.most_common()[-1][0]]}
    print("| mode | unfiltered p50 / p95 ms | common council | rare council |\n|---|---|---|---|")
    for mode in MODES:
        cells = [_p(time_calls(lambda q: retriever.search(q, args.k, mode=mode), questions, args.warm))]
        for label in ("common", "rare"):
            only = Filters(councils=(councils[label],))
            cells.append(_p(time_calls(lambda q: retriever.search(q, args.k, mode=mode, filters=only), questions, args.warm)))
        print(f"| {mode} | " + " | ".join(f"{a:.0f} / {b:.0f}" for a, b in cells) + " |")
    print(f"common = {councils['common']} ({counts.most_common()[0][1]:,}), rare = {councils['rare']} "
          f"({counts.most_common()[-1][1]:,}); peak RSS {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


def _p(seconds: list[float]) -> tuple[float, float]:
    return percentile_ms(seconds, 50), percentile_ms(seconds, 95)


# ---------------------------------------------------------------- driver

def ensure_source(args) -> Path:
    if args.from_store:
        return args.from_store
    from assistant.service import Assistant
    from assistant.settings import Settings

    store = Path(tempfile.mkdtemp(prefix="clerk-bench-src-", dir=args.work_dir))
    print(f"ingesting the real records into {store} (no --from-store given)...", flush=True)
    report = Assistant.open(Settings(store=store)).ingest([CORPUS / p for p in DEFAULT_PATHS])
    print("  " + report.summary(), flush=True)
    return store


def print_tables(results: list[dict]) -> None:
    print("\nretrieval latency, ms (p50 / p95), k=10, query encoding included")
    print("| chunks | build s (Chroma add + BM25) | " + " | ".join(MODES) + " | peak RSS MB |")
    print("|---|---|" + "---|" * len(MODES) + "---|")
    for r in results:
        cells = " | ".join(f"{r[m][0]:.0f} / {r[m][1]:.0f}" for m in MODES)
        print(f"| {r['reached']:,} | {r['build_s']:.0f} ({r['add_s']:.0f} + {r['lexical_s']:.0f}) | {cells} "
              f"| {r['peak_rss_mb']:.0f} |")
    print("\nChroma dense query alone (vector given), ms p50 / p95, and recall@10 against exact cosine")
    print("| chunks | unfiltered | council filter (common) | x | council filter (rare) | x | recall@10 (min) "
          "| recall@10 within 0.01 |")
    print("|---|---|---|---|---|---|---|---|")
    for r in results:
        u, c, s = r["store_query"], r["filtered_common"], r["filtered_rare"]
        print(f"| {r['reached']:,} | {u[0]:.1f} / {u[1]:.1f} | {c[0]:.1f} / {c[1]:.1f} ({c[3]:.0%} of chunks) "
              f"| {c[0] / u[0]:.1f} | {s[0]:.1f} / {s[1]:.1f} ({s[3]:.1%}) | {s[0] / u[0]:.1f} "
              f"| {r['recall']:.3f} ({r['min_recall']:.1f}) | {r['recall_tolerant']:.3f} |")
    print("\nClerk's filtered search (Retriever.search with a council filter), ms p50 / p95, and x unfiltered p50")
    print("| chunks | dense | dense, common council | x | dense, rare council | x "
          "| full | full, common council | x | full, rare council | x |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for r in results:
        cells = []
        for mode in ("dense", "full"):
            base = r[mode][0]
            cells.append(f"{r[mode][0]:.0f} / {r[mode][1]:.0f}")
            for label in ("common", "rare"):
                p50, p95 = r[f"clerk_{mode}_{label}"]
                cells += [f"{p50:.0f} / {p95:.0f}", f"{p50 / base:.1f}"]
        print(f"| {r['reached']:,} | " + " | ".join(cells) + " |")
    for r in results:
        print(f"{r['reached']:,}: store {r['disk_mb']:.0f} MB on disk; BM25 index open {r['lexical_open_s']:.1f} s; "
              f"store.count() {r['count_ms']:.1f} ms; query encoding alone {r['encode_ms']:.0f} ms p50; "
              f"filters: common={r['filtered_common'][2]!r}, rare={r['filtered_rare'][2]!r}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,100000,1000000", help="comma-separated chunk counts")
    parser.add_argument("--from-store", type=Path, help="a store of the real records (else they are ingested)")
    parser.add_argument("--questions", type=int, default=50, help="real questions timed per mode")
    parser.add_argument("--warm", type=int, default=5, help="untimed queries first")
    parser.add_argument("--k", type=int, default=10)
    parser.add_argument("--noise", type=float, default=0.02, help="gaussian sigma per dimension on copies")
    parser.add_argument("--swaps", type=int, default=3, help="words substituted in each copy's text")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--max-build-minutes", type=float, default=25.0)
    parser.add_argument("--work-dir", type=Path, default=Path(tempfile.gettempdir()))
    parser.add_argument("--keep", action="store_true", help="keep the synthetic stores")
    parser.add_argument("--reuse", type=Path, help="measure a store kept by --keep instead of building")
    parser.add_argument("--grow-to", type=int, help="with --reuse and --from-store: first add copies up to this many")
    parser.add_argument("--one-size", type=int, help=argparse.SUPPRESS)  # internal: the per-size child
    args = parser.parse_args(argv)

    if args.one_size:
        print("RESULT " + json.dumps(measure_size(args.one_size, args)), flush=True)
        return
    if args.reuse:
        if args.grow_to:
            grow(args.reuse, args.grow_to, args)
        measure_existing(args.reuse, args)
        return

    args.from_store = ensure_source(args)
    results = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"size {size:,}: building and measuring in a child process...", flush=True)
        cmd = [sys.executable, __file__, "--one-size", str(size)] + _passthrough(args)
        child = subprocess.Popen(cmd, stdout=subprocess.PIPE, text=True)
        for line in child.stdout:
            if line.startswith("RESULT "):
                results.append(json.loads(line[7:]))
                r = results[-1]
                print(f"  built {r['reached']:,} chunks in {r['build_s']:.0f} s; "
                      + ", ".join(f"{m} p50 {r[m][0]:.0f} ms" for m in MODES)
                      + f"; recall@10 {r['recall']:.3f}; peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
            else:
                print(line, end="", flush=True)
        if child.wait() != 0:
            print(f"  size {size:,} failed (exit {child.returncode})", flush=True)
    if results:
        print_tables(results)


def _passthrough(args) -> list[str]:
    out = ["--from-store", str(args.from_store), "--work-dir", str(args.work_dir)]
    for name in ("questions", "warm", "k", "noise", "swaps", "seed", "max_build_minutes"):
        out += [f"--{name.replace('_', '-')}", str(getattr(args, name))]
    return out + (["--keep"] if args.keep else [])


if __name__ == "__main__":
    main()
