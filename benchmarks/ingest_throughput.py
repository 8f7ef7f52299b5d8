"""Ingest throughput: the real pipeline (`Assistant.ingest`) against the bare model on the same texts.

Prints chunks/s end to end (parse, chunk, embed, store, manifest, BM25 rebuild; the one-off model load
is excluded), the bare model's encode rate on exactly the same `Chunk.indexed_text()`s at the
pipeline's batch size, their ratio (target >= 0.85), and peak RSS. Not a test: it prints figures.

    .venv/bin/python benchmarks/ingest_throughput.py [--repeat 3] [--paths DIR ...] [--keep-store DIR]
"""
from __future__ import annotations

import argparse
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CORPUS = ROOT.parent / "shared" / "corpus"
DEFAULT_PATHS = ["seeds", "dev/ofsted", "dev/parish", "dev/us", "dev/moderngov", "dev/kent-items"]


def peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux reports KiB


def run_pipeline(paths: list[Path], embedder, store: Path):
    """One ingest into an empty store; returns (seconds, report, chunk texts as stored)."""
    from assistant.service import Assistant
    from assistant.settings import Settings

    started = time.perf_counter()
    assistant = Assistant.open(Settings(store=store), embedder=embedder)
    report = assistant.ingest(paths)
    seconds = time.perf_counter() - started
    texts = [c.indexed_text() for c in assistant.library.store.iter_chunks()]
    return seconds, report, texts


def run_bare(embedder, texts: list[str], batch_size: int) -> float:
    started = time.perf_counter()
    embedder.encode(texts, batch_size=batch_size)
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--paths", nargs="+", type=Path,
                        default=[CORPUS / p for p in DEFAULT_PATHS], help="files or folders to ingest")
    parser.add_argument("--repeat", type=int, default=1, help="runs of each; medians are printed")
    parser.add_argument("--keep-store", type=Path,
                        help="leave the last run's store here (query_latency.py --from-store can reuse it)")
    args = parser.parse_args(argv)

    from assistant.settings import Settings
    from ingest.embed import load_embedder
    from ingest.pipeline import EMBED_BATCH

    settings = Settings()
    t0 = time.perf_counter()
    embedder = load_embedder(settings.embedding_model, settings.threads)
    embedder.encode(["warm-up: the first call pays one-off set-up"] * 4)
    print(f"model load {time.perf_counter() - t0:.1f} s (excluded); torch threads: {_threads()}; "
          f"EMBED_BATCH={EMBED_BATCH}")

    pipeline_rates, bare_rates, embed_rates = [], [], []
    for run in range(1, args.repeat + 1):
        tmp = Path(tempfile.mkdtemp(prefix="clerk-bench-ingest-"))
        try:
            seconds, report, texts = run_pipeline(args.paths, embedder, tmp / "store")
            if report.failed:
                print(f"  {len(report.failed)} files failed: " + "; ".join(o.line() for o in report.failed[:3]))
            n = report.chunks_embedded
            assert n == len(texts), f"pipeline embedded {n} chunks but the store holds {len(texts)}"
            bare = run_bare(embedder, texts, EMBED_BATCH)
            pipeline_rates.append(n / seconds)
            bare_rates.append(n / bare)
            embed_rates.append(n / report.embed_seconds)
            print(f"run {run}: {n} chunks from {report.count('added')} files; pipeline {seconds:.1f} s "
                  f"({n / seconds:.2f} chunks/s; of which embedding {report.embed_seconds:.1f} s), "
                  f"bare encode {bare:.1f} s ({n / bare:.2f} chunks/s)")
            if args.keep_store and run == args.repeat:
                shutil.rmtree(args.keep_store, ignore_errors=True)
                shutil.copytree(tmp / "store", args.keep_store)
                print(f"store kept at {args.keep_store}")
        finally:
            shutil.rmtree(tmp, ignore_errors=True)

    pipeline, bare = statistics.median(pipeline_rates), statistics.median(bare_rates)
    print(f"\nmedian of {args.repeat} run(s):")
    print(f"  pipeline end to end      {pipeline:8.2f} chunks/s")
    print(f"  pipeline, embed step only{statistics.median(embed_rates):8.2f} chunks/s")
    print(f"  bare model encode        {bare:8.2f} chunks/s  (batch_size={EMBED_BATCH}, one call)")
    print(f"  ratio pipeline/bare      {pipeline / bare:8.3f}   (target >= 0.85)")
    print(f"  peak RSS                 {peak_rss_mb():8.0f} MB")


def _threads() -> int:
    import torch

    return torch.get_num_threads()


if __name__ == "__main__":
    main()
