"""Growth of parse, chunk, split and question time on pathological input: is it linear?

For each shape (issue 18: "Item 1." runs, one word repeated, "RESOLVED" repeated, nested HTML, a
2,000-character question of Markdown stars and bullets, …) the time at each size, the ratio of the
largest to the smallest, and the exponent fitted to log time against log size (1 is linear, 2 quadratic).
A case that passes `--cap` seconds at one size is not run at larger ones.

    .venv/bin/python benchmarks/linear_time.py [--sizes 10000,20000,40000,80000] [--cases item_runs,html_divs]
        [--cap 30] [--questions 250,500,1000,2000]
    .venv/bin/python benchmarks/linear_time.py --growth [--cases …]

Times are CPU seconds of this process. `--growth` prints the table tests/test_growth.py asserts on: each shape at its n (GROWTH_N) and 4n, each the
fastest of three runs, and the ratio, which a linear shape keeps near 4 (the test allows 5).

File shapes are read as `_read_file` reads them (parser, metadata, chunker), without embedding: the size is
in words. Splitter shapes call the sentence and clause splitters and the decision finder on one page. Question
shapes ask the demo corpus, ingested with hash vectors, a question of that many characters.
"""
from __future__ import annotations

import argparse
import gc
import hashlib
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from hostile import pdf  # noqa: E402  (the tests' PDF writer)

from fake_model import FakeModel  # noqa: E402  (the tests' stand-in for the model: instant vectors)

_PROSE = ("The committee received the report of the Director of Children's Services on placements for children "
          "in care. Members asked about the cost of agency staff, which rose by 12% in 2023. RESOLVED: That the "
          "report be noted. ").split()


def _repeat(words: list[str], n: int) -> str:
    return " ".join(words[i % len(words)] for i in range(n))


def _pdf_pages(n: int, broken_xref: bool = False) -> str:
    """A PDF of n words, ten a page (issue 18: a 20,000-page PDF); with `broken_xref`, its cross-reference
    table where it says it is not, so pypdf rebuilds it by reading the whole file (a PDF with a broken xref)."""
    pages = max(n // 10, 1)
    objects = [b"<< /Type /Catalog /Pages 2 0 R >>",
               b"<< /Type /Pages /Kids [%s] /Count %d >>" % (b" ".join(b"%d 0 R" % (4 + 2 * i) for i in range(pages)), pages),
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>"]
    for i in range(pages):
        content = b"BT /F1 10 Tf 20 700 Td (%s) Tj ET" % " ".join(_PROSE[(i * 10 + j) % len(_PROSE)] for j in range(10)).encode()
        objects += [b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents %d 0 R "
                    b"/Resources << /Font << /F1 3 0 R >> >> >>" % (5 + 2 * i),
                    b"<< /Length %d >>\nstream\n%s\nendstream" % (len(content), content)]
    data = pdf(objects)
    return (data.replace(b"startxref\n", b"startxref\n9") if broken_xref else data).decode("latin-1")


# name -> (file suffix, text of about n words)
FILE_CASES: dict[str, tuple[str, Callable[[int], str]]] = {
    "prose (control)": (".txt", lambda n: _repeat(_PROSE, n)),
    "item_runs": (".txt", lambda n: "Item 1. " * (n // 2)),
    "same_word": (".txt", lambda n: "the " * n),
    "inline_same_number": (".txt", lambda n: "noted 5. Report " * (n // 3)),
    "inline_same_minute": (".txt", lambda n: "noted 151/20 Report " * (n // 3)),
    "resolved": (".txt", lambda n: "RESOLVED " * n),
    "resolved_lines": (".txt", lambda n: "RESOLVED:\n\n" * n),
    "seconded": (".txt", lambda n: "Proposed and seconded, all in favour. " * (n // 6)),
    "no_space_line": (".txt", lambda n: "x" * (6 * n)),
    "md_stars": (".md", lambda n: "**word " * n),
    "md_bullets": (".md", lambda n: "* **a** - b\n" * (n // 4)),
    "html_divs": (".html", lambda n: "<div>word " * n + "</div>" * n),
    "html_divs_500_deep": (".html", lambda n: ("<div>word " * 500 + "</div>" * 500) * (n // 500)),
    "html_tables": (".html", lambda n: "<table><tr><td>word " * (n // 2) + "</td></tr></table>" * (n // 2)),
    "html_empty_headings": (".html", lambda n: "<h1>" * n + "</h1>" * n + "<p>word</p>"),
    "html_nested_nav": (".html", lambda n: "<nav>word " * n + "</nav>" * n + "<p>word</p>"),
    "html_nav_500_deep": (".html", lambda n: ("<nav>word " * 500 + "</nav>" * 500) * (n // 500) + "<p>word</p>"),
    "html_headings_500_deep": (".html", lambda n: ("<h1>" * 500 + "</h1>" * 500 + "word ") * (n // 500)),
    "html_nested_banners": (".html", lambda n: f"<div class='header'>{'x' * 100} " * (n // 2) + "</div>" * (n // 2)),
    "html_table_rows": (".html", lambda n: "<table>" + "<tr><td>a</td><td>b</td><td>c</td><td>d</td></tr>" * (n // 4)
                        + "</table>"),
    "pdf_pages": (".pdf", _pdf_pages),
    "pdf_broken_xref": (".pdf", lambda n: _pdf_pages(n, broken_xref=True)),
}

# name -> text of about n words, split as answers and decisions split passages and pages
SPLIT_CASES: dict[str, Callable[[int], str]] = {
    "sentences: Item 1. runs": lambda n: "Item 1. " * (n // 2),
    "clauses: Item 1. runs": lambda n: "Item 1. " * (n // 2),
    "clauses: semicolons": lambda n: "; " * n,
    "decisions: Item 1. runs": lambda n: "RESOLVED: That " + "Item 1. " * (n // 2),
}

# name -> question of n characters
QUESTION_CASES: dict[str, Callable[[int], str]] = {
    "question: prose": lambda n: (_repeat(_PROSE, n) + " ")[:n],
    "question: stars and bullets": lambda n: ("**care** * - " * n)[:n],
    "question: stars": lambda n: ("*" * n),
    "question: capitals": lambda n: ("Care Leavers " * n)[:n],
}


# The n of each shape's growth check (words; characters for questions): large enough that the time is no
# noise (tens of milliseconds at least), small enough that n and 4n, three times each, take seconds.
GROWTH_N: dict[str, int] = {
    "prose (control)": 10_000, "item_runs": 10_000, "same_word": 10_000, "inline_same_number": 10_000,
    "inline_same_minute": 10_000, "resolved": 5_000, "resolved_lines": 2_500, "seconded": 5_000,
    "no_space_line": 20_000, "md_stars": 10_000, "md_bullets": 10_000, "html_divs": 2_500,
    "html_divs_500_deep": 1_500, "html_tables": 2_500, "html_empty_headings": 2_500, "html_nested_nav": 2_500,
    "html_nav_500_deep": 1_500, "html_headings_500_deep": 2_500, "html_nested_banners": 2_500,
    "html_table_rows": 2_500, "pdf_pages": 1_500, "pdf_broken_xref": 1_000,
    "sentences: Item 1. runs": 100_000, "clauses: Item 1. runs": 100_000, "clauses: semicolons": 100_000,
    "decisions: Item 1. runs": 20_000,
    # Past the 2,000 characters a question may have (the measuring assistant allows more): 2,000 alone is
    # mostly the search's fixed cost.
    "question: prose": 2_000, "question: stars and bullets": 2_000, "question: stars": 2_000,
    "question: capitals": 2_000,
}

REFUSED: dict[str, str] = {}  # shape -> the one-line error a bound refused it with

# CPU time of this process, not the wall clock: on a machine shared with other work, a long run is more
# often paused than a short one, which would tilt a ratio of wall times upwards.
clock = time.process_time


def exponent(sizes: list[int], times: list[float]) -> float:
    """The slope of log time against log size, least squares."""
    xs, ys = np.log(sizes), np.log(np.maximum(times, 1e-6))
    return float(np.polyfit(xs, ys, 1)[0])


def time_file(name: str, suffix: str, text: str) -> float:
    from ingest.chunk import chunk_document
    from ingest.errors import ParseError
    from ingest.pipeline import read_documents

    data = text.encode("latin-1" if suffix == ".pdf" else "utf-8")
    with tempfile.TemporaryDirectory(prefix="clerk-linear-") as folder:
        path = Path(folder) / f"case{suffix}"
        path.write_bytes(data)
        started = clock()
        try:
            docs, _ = read_documents(path, data, hashlib.sha256(data).hexdigest())
            [c for doc in docs for c in chunk_document(doc)]
        except ParseError as refused:  # a bound: the time to refuse is what is measured
            REFUSED[name] = str(refused)
        return clock() - started


def time_split(name: str, text: str) -> float:
    from assistant.compose import _clauses
    from ingest.decisions import find_decisions
    from ingest.text import sentences

    started = clock()
    if name.startswith("sentences"):
        sentences(text)
    elif name.startswith("clauses"):
        [c for span in sentences(text) for c in _clauses(text, *span)]
    else:
        find_decisions(text, longest=8 * 8 * 165)
    return clock() - started


def demo_assistant(store: Path | None = None):
    """The demo corpus with hash vectors, asked questions of any length."""
    from assistant.service import Assistant
    from assistant.settings import Settings
    from ingest.embed import DEFAULT_MODEL, Embedder

    store = store or Path(tempfile.mkdtemp(prefix="clerk-linear-store-")) / "store"
    assistant = Assistant.open(Settings(store=store, max_question_chars=10**6), Embedder(DEFAULT_MODEL, 384, FakeModel))
    assistant.ingest([ROOT / "corpus"])
    assistant.extractive_answer("What did the panel decide about care leavers?")  # warm: indexes load once
    return assistant


def run(label: str, sizes: list[int], measure: Callable[[int], float], cap: float) -> None:
    done_sizes, times = [], []
    for n in sizes:
        seconds = measure(n)
        done_sizes.append(n)
        times.append(seconds)
        if seconds > cap:
            break
    cells = [f"{t:8.3f}" for t in times] + [f"{'(>cap)':>8}"] * (len(sizes) - len(times))
    ratio = f"{times[-1] / max(times[0], 1e-6):7.1f}" if len(times) > 1 else f"{'':>7}"
    slope = f"{exponent(done_sizes, times):5.2f}" if len(times) > 1 else "  n/a"
    refused = f"  refused: {REFUSED[label]}" if label in REFUSED else ""
    print(f"{label:34} " + " ".join(cells) + f"  {ratio}  {slope}{refused}", flush=True)


def measures(assistant=None) -> dict[str, Callable[[int], float]]:
    """Every shape's timing at a size; the question shapes only with an `assistant` to ask."""
    found: dict[str, Callable[[int], float]] = {}
    for name, (suffix, make) in FILE_CASES.items():
        found[name] = lambda n, s=suffix, m=make, c=name: time_file(c, s, m(n))
    for name, make in SPLIT_CASES.items():
        found[name] = lambda n, m=make, c=name: time_split(c, m(n))
    if assistant is not None:
        for name, make in QUESTION_CASES.items():
            found[name] = lambda n, m=make: _time_question(assistant, m(n))
    return found


def growth(measure: Callable[[int], float], n: int, rounds: int = 3, enough: float | None = None) -> tuple[float, float]:
    """The fastest of `rounds` runs at n and at 4n, after one unrecorded run at n/4 (imports). With `enough`,
    it stops at the first round whose ratio is at most that: a linear shape on a busy machine needs one quiet
    run of each size; a super-linear one never gets there."""
    _quiet(measure, max(n // 4, 1))
    small, large = [], []
    for _ in range(rounds):
        small.append(_quiet(measure, n))
        large.append(_quiet(measure, 4 * n))
        if enough is not None and min(large) / min(small) <= enough:
            break
    return min(small), min(large)


def _quiet(measure: Callable[[int], float], n: int) -> float:
    """`measure(n)` with the cyclic garbage collector off: its full passes walk every object of the process
    (in a test run, the stores and models other tests loaded) at thresholds that fall on one size and not
    the other; with it on, a 20,000-row table grows 4.5 times for 4 times the rows, with it off 4.1."""
    gc.collect()
    gc.disable()
    try:
        return measure(n)
    finally:
        gc.enable()


def growth_table(wanted: Callable[[str], bool]) -> None:
    needs_questions = any(wanted(name) for name in QUESTION_CASES)
    shapes = measures(demo_assistant() if needs_questions else None)
    print(f"{'shape':34} {'n':>8} {'4n':>8} {'t(n) s':>8} {'t(4n) s':>8} {'ratio':>6}")
    for name, measure in shapes.items():
        if wanted(name):
            n = GROWTH_N[name]
            small, large = growth(measure, n)
            print(f"{name:34} {n:8} {4 * n:8} {small:8.3f} {large:8.3f} {large / small:6.1f}", flush=True)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10000,20000,40000,80000", help="words, for files and splitters")
    parser.add_argument("--questions", default="250,500,1000,2000", help="characters, for questions")
    parser.add_argument("--cases", help="comma-separated names (or parts of names) to run; default all")
    parser.add_argument("--cap", type=float, default=30.0, help="seconds: past this, larger sizes are skipped")
    parser.add_argument("--growth", action="store_true", help="the growth table: each shape at its n and 4n")
    args = parser.parse_args(argv)
    sizes = [int(s) for s in args.sizes.split(",")]
    q_sizes = [int(s) for s in args.questions.split(",")]
    wanted = [w.strip() for w in args.cases.split(",")] if args.cases else None

    def chosen(name: str) -> bool:
        return wanted is None or any(w in name for w in wanted)

    if args.growth:
        growth_table(chosen)
        return

    header = " ".join(f"{n:>8}" for n in sizes)
    print(f"{'shape (seconds at n words)':34} {header}  {'last/1st':>7}  {'exp':>5}")
    for name, (suffix, make) in FILE_CASES.items():
        if chosen(name):
            run(name, sizes, lambda n, s=suffix, m=make, c=name: time_file(c, s, m(n)), args.cap)
    for name, make in SPLIT_CASES.items():
        if chosen(name):
            run(name, sizes, lambda n, m=make, c=name: time_split(c, m(n)), args.cap)
    questions = [name for name in QUESTION_CASES if chosen(name)]
    if questions:
        assistant = demo_assistant()
        print(f"{'shape (seconds at n characters)':34} " + " ".join(f"{n:>8}" for n in q_sizes))
        for name in questions:
            make = QUESTION_CASES[name]
            run(name, q_sizes, lambda n, m=make: _time_question(assistant, m(n)), args.cap)


def _time_question(assistant, question: str) -> float:
    started = clock()
    assistant.extractive_answer(question)
    return clock() - started


if __name__ == "__main__":
    main()
