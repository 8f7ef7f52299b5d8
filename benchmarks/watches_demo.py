"""What eight watches report when records arrive: the demo records but Little Ashby's minutes and Eastbridge's
September 2024 panel are ingested, the watches are added, then those five records arrive and the watches are
checked. Prints each watch's matches with their relevance, and how long the check took. The figures of
2026-12-03 are in docs/watches.md.

    .venv/bin/python benchmarks/watches_demo.py
"""
import shutil
import tempfile
import time
from pathlib import Path

from assistant import watches
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.filters import Filters

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
ARRIVING = ("little-ashby", "eastbridge_corporate-parenting-panel_2024")
TOPICS = {"play": "play area", "leavers": "council tax for care leavers",
          "ofsted": "Ofsted inspection of children's services", "precept": "parish precept",
          "buses": "bus lane enforcement cameras", "potholes": "potholes and road repairs",
          "wind": "wind farm planning application", "library": "closing the public library"}


def main() -> None:
    work = Path(tempfile.mkdtemp(prefix="clerk-watches-"))
    for folder in ("base", "new"):
        (work / folder).mkdir()
    for f in CORPUS.iterdir():
        if f.suffix in (".py",) or f.name == "README.md":
            continue
        shutil.copy(f, work / ("new" if f.name.startswith(ARRIVING) else "base"))
    assistant = Assistant.open(Settings(store=work / "store"))
    assistant.ingest([work / "base"])
    for name, query in TOPICS.items():
        _, already = watches.add(assistant, name, query, Filters())
        print(f"{name:9s} {query!r}: {already} already in the store")
    assistant.ingest([work / "new"])
    started = time.perf_counter()
    found = watches.check(assistant)
    print(f"\nchecked {len(found)} watches in {time.perf_counter() - started:.1f} s\n")
    for f in found:
        print(f"{f.watch.name}: {len(f.new)} new")
        for m in f.new:
            print(f"    {m['relevance']:.3f}  {Path(m['source']).name[:44]:44s}  {m['supporting'][:80]}")
    shutil.rmtree(work)


if __name__ == "__main__":
    main()
