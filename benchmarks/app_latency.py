"""The app's latency as a member sees it: `streamlit run app.py` started afresh, driven by headless Chromium.

    python benchmarks/app_latency.py --store .clerk [--questions 5]

Prints seconds from server start to the page ready (the model loads in the first session, once per
process through st.cache_resource), the first answer after that, and each later answer (press Enter
to the first [n] link drawn). Needs a chromium binary and an ingested store.
"""
from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))
from app_server import launch, send_question, serve, wait_for_answer  # noqa: E402

QUESTIONS = ["What did Little Ashby decide about the play area?", "What was resolved about care leavers?",
             "What did Northmoor resolve about council tax for care leavers?",
             "What did Ofsted find at Eastbridge?", "Who was appointed chair of the parish council?",
             "What is the improvement plan's progress on the workforce?"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", required=True, type=Path)
    parser.add_argument("--questions", type=int, default=5)
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    started = time.perf_counter()
    with serve(args.store, Path(tempfile.mkdtemp()) / "server.log") as url, sync_playwright() as playwright:
        up = time.perf_counter() - started
        browser = launch(playwright)
        page = browser.new_page()
        page.goto(url)
        page.get_by_placeholder("Ask a question", exact=False).wait_for(timeout=180_000)
        ready = time.perf_counter() - started
        timings = []
        for turn, question in enumerate(QUESTIONS[:args.questions]):
            t0 = time.perf_counter()
            send_question(page, question)
            wait_for_answer(page, turn)
            timings.append(time.perf_counter() - t0)
        browser.close()
    print(f"server answering health checks: {up:.1f} s after start")
    print(f"page ready (model and store loaded): {ready:.1f} s after start")
    print(f"first answer: {timings[0]:.2f} s (so {ready + timings[0]:.1f} s after start)")
    later = timings[1:]
    if later:
        print(f"later answers: {', '.join(f'{t:.2f}' for t in later)} s; median {statistics.median(later):.2f} s")


if __name__ == "__main__":
    main()
