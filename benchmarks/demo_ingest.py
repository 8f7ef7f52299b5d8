"""Ingest time of the demo corpus (`corpus/`) with hash vectors instead of the model: what parsing,
chunking, storing and the per-file parse budget cost, without the model's time. Prints each run and the median.

    .venv/bin/python benchmarks/demo_ingest.py [--repeat 5] [--parse-seconds 60]
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from fake_model import FakeModel  # noqa: E402  (the tests' stand-in for the model: instant vectors)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--parse-seconds", type=float, help="CLERK_PARSE_SECONDS for the runs (0: no budget)")
    args = parser.parse_args(argv)

    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.embed import DEFAULT_MODEL, Embedder

    overrides = {} if args.parse_seconds is None else {"parse_seconds": args.parse_seconds}
    runs = []
    for _ in range(args.repeat):
        store = Path(tempfile.mkdtemp(prefix="clerk-demo-ingest-")) / "store"
        assistant = Assistant.open(Settings(store=store, **overrides), Embedder(DEFAULT_MODEL, 384, FakeModel))
        started = time.perf_counter()
        report = assistant.ingest([ROOT / "corpus"])
        runs.append(time.perf_counter() - started)
        print(f"{runs[-1]:.2f} s: {report.summary()}", flush=True)
    print(f"median {statistics.median(runs):.2f} s over {len(runs)} runs")


if __name__ == "__main__":
    main()
