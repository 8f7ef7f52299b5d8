"""BM25 rebuild after an ingest: from nothing, against re-reading only the changed documents' passages.

Runs on a copy-free store you already have (e.g. one kept by `query_latency.py --keep`). It times:
- a rebuild from nothing (no kept corpus: what every rebuild cost before the corpus was kept);
- a rebuild after one document changed: that document's hash is altered in the manifest in memory,
  so its passages are read from Chroma again and everything else is reused;
- loading the saved index in a fresh process's way (`LexicalIndex.load`).
Nothing in the store is modified, but its `lexical/` folder is rewritten. Not a test.

    .venv/bin/python benchmarks/lexical_rebuild.py --store DIR
"""
from __future__ import annotations

import argparse
import dataclasses
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--store", type=Path, required=True)
    args = parser.parse_args()
    from ingest.embed import DEFAULT_MODEL
    from ingest.lexical import LexicalIndex
    from ingest.library import Library

    library = Library(args.store, model_name=DEFAULT_MODEL, dimension=384)
    passages = library.store.count()
    t0 = time.perf_counter()
    library.rebuild_lexical(LexicalIndex([], None, -1))  # a previous index with no corpus: read everything
    full = time.perf_counter() - t0

    source, entry = max(library.manifest.documents.items(), key=lambda item: item[1].chunks)
    library.manifest.documents[source] = dataclasses.replace(entry, sha256="changed")
    t0 = time.perf_counter()
    index = library.rebuild_lexical()
    incremental = time.perf_counter() - t0
    assert len(index.ids) == passages

    t0 = time.perf_counter()
    LexicalIndex.load(library.lexical_dir)
    load = time.perf_counter() - t0
    print(f"{passages:,} passages in {len(library.manifest.documents):,} documents")
    print(f"rebuild from nothing:               {full:6.1f} s")
    print(f"rebuild after one document changed: {incremental:6.1f} s ({entry.chunks} passages re-read)")
    print(f"load the saved index:               {load:6.1f} s")
    print(f"peak RSS: {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:,.0f} MB")


if __name__ == "__main__":
    main()
