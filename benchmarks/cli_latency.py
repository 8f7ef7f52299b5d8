"""Wall and CPU time of the CLI's fast paths, each in a fresh process as a user runs them: `--help`,
`stats`, `decisions` without a topic, a filter error, and re-ingesting folders already in the store.
None of them should load the embedding model. Not a test.

    .venv/bin/python benchmarks/cli_latency.py --store DIR FOLDER...   (FOLDERs already ingested into DIR)
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def timed(argv: list[str]) -> tuple[float, float]:
    """Seconds of wall time and of CPU (user + system) for one run of `clerk ARGV`."""
    before = os.times()
    t0 = time.perf_counter()
    subprocess.run([sys.executable, "-m", "assistant.cli", *argv], cwd=ROOT, capture_output=True,
                   env={**os.environ, "PYTHONPATH": str(ROOT)})
    wall = time.perf_counter() - t0
    after = os.times()
    return wall, after.children_user - before.children_user + after.children_system - before.children_system


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", required=True)
    parser.add_argument("folders", nargs="+", help="folders already ingested into --store")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    runs = {"--help": ["--help"], "stats": ["stats", "--store", args.store], "decisions": ["decisions", "--store", args.store],
            "ask --kind minute": ["ask", "x", "--kind", "minute", "--store", args.store],
            "unchanged re-ingest": ["ingest", *args.folders, "--store", args.store]}
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores; medians of {args.repeat}")
    for name, argv in runs.items():
        times = [timed(argv) for _ in range(args.repeat)]
        print(f"{name:22s} {statistics.median(w for w, _ in times):5.2f} s wall  "
              f"{statistics.median(c for _, c in times):5.2f} s CPU")


if __name__ == "__main__":
    main()
