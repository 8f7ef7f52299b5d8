"""Pathological shapes of text (issue 18) read correctly: the splitters, the chunker, the decision finder and
the HTML parser give the right answer on them, and a page nested deeper than a browser builds is refused in
one line. Time is never asserted here: benchmarks/linear_time.py measures how it grows."""
import random

import pytest
from hostile import MINUTES

from ingest.chunk import MAX_CHARS, MAX_DECISION_CHARS, PASSAGE_WORDS, chunk_document, inline_items
from ingest.decisions import find_decisions
from ingest.errors import ParseError
from ingest.parse_html import MAX_DEPTH, parse_html
from ingest.pipeline import ingest_paths
from ingest.records import Document, Page, RecordMeta
from ingest.text import iter_sentences, sentences


def _chunks(text: str):
    return chunk_document(Document("d", "s", "h", (Page(1, text),), RecordMeta(kind="minutes")))


def _assert_bounded_and_covering(text: str, chunks) -> None:
    assert chunks and all(len(c.text) <= MAX_CHARS and len(c.text.split()) <= PASSAGE_WORDS for c in chunks)
    assert all(text[c.start:c.end] == c.text for c in chunks)
    assert chunks[0].start == 0 and chunks[-1].end == len(text.rstrip())
    assert all(b.start <= a.end for a, b in zip(chunks, chunks[1:])), "a gap between passages"


@pytest.mark.parametrize("text", ["Item 1. " * 20_000, "the " * 40_000, "noted 5. Report " * 10_000,
                                  "noted 151/20 Report " * 10_000])
def test_runs_of_one_shape_become_bounded_passages_that_cover_them(text):
    text = text.strip()
    _assert_bounded_and_covering(text, _chunks(text))


def test_items_of_one_number_are_no_run_and_consecutive_ones_are():
    assert inline_items("noted 5. Report " * 5_000) == {}
    text = "The Chair opened the meeting. " + " ".join(f"noted {n}. Report of the officer" for n in range(1, 100))  # numbers of up to two digits
    items = inline_items(text)
    assert len(items) == 99 and all(title.startswith(f"{n}. Report") for n, title in enumerate(items.values(), 1))


def test_a_run_of_numbers_that_restarts_is_found_again():
    # "1. 2. 3." three times over: each restart opens a new run, and the later numbers join the oldest open one.
    text = "Minutes of the meeting. " + " ".join(f"see {n}. Title" for _ in range(3) for n in (1, 2, 3))
    assert len(inline_items(text)) == 9


def test_item_runs_are_one_sentence_and_sentences_of_a_slice_are_the_slices():
    assert sentences("Item 1. " * 10_000) == [(0, len("Item 1. " * 10_000) - 1)]
    rng = random.Random(18)
    pieces = ["Item 1.", "No. 5", "Cllr. Smith", "agreed.", "The report", "“Quoted.”", "(a)", "12.", "RESOLVED:", "  "]
    for _ in range(300):
        text = " ".join(rng.choice(pieces) for _ in range(rng.randint(1, 30)))
        start, end = sorted(rng.sample(range(len(text) + 1), 2)) if len(text) > 1 else (0, len(text))
        expected = [(start + s, start + e) for s, e in sentences(text[start:end])]
        assert list(iter_sentences(text, start, end)) == expected, (text, start, end)


def test_many_decisions_on_a_page_are_each_found():
    page = "\n\n".join(f"{n}. Item {n}\n\nRESOLVED: That the report on item {n} be noted." for n in range(1, 2001))
    found = find_decisions(page, longest=MAX_DECISION_CHARS)
    assert len(found) == 2000 and all(d.text == f"RESOLVED: That the report on item {n} be noted."
                                      for n, d in enumerate(found, 1))


def test_votes_without_an_announcement_are_each_a_decision():
    page = " ".join(f"Councillor A{n} proposed that the fence be mended. Seconded and all in favour."
                    for n in range(1, 1001))
    found = find_decisions(page, longest=MAX_DECISION_CHARS)
    assert len(found) == 1000 and all(f"A{n} proposed" in d.text for n, d in enumerate(found, 1))


def test_a_block_longer_than_the_longest_decision_is_none_and_hides_nothing_after_it():
    # A bare "RESOLVED:" runs on over numbered parts: past MAX_DECISION_CHARS it is no decision, and it is
    # read no further than that, so the decision after the long run is found.
    parts = "\n\n".join(f"({n % 90 + 1}) that the item be read." for n in range(3_000))
    page = f"RESOLVED:\n\n{parts}\n\nMinutes: RESOLVED: That the fence be mended."
    found = find_decisions(page, longest=MAX_DECISION_CHARS)
    assert [d.text for d in found] == ["RESOLVED: That the fence be mended."]


def _nested(depth: int, inner: str = "<p>The committee agreed the budget.</p>") -> bytes:
    return ("<html><body>" + "<div>" * depth + inner + "</div>" * depth + "</body></html>").encode()


def test_html_nested_as_deep_as_a_browser_builds_is_read():
    parsed = parse_html(_nested(MAX_DEPTH - 10))
    assert parsed.pages[0].text == "The committee agreed the budget."
    tables = "<table><tr><td>" * 150 + "Cell text" + "</td></tr></table>" * 150
    assert parse_html(f"<html><body>{tables}</body></html>".encode()).pages[0].text == "Cell text"


def test_html_nested_ten_thousand_deep_is_refused_in_one_line(tmp_path, fake_model):
    with pytest.raises(ParseError) as refused:
        parse_html(_nested(10_000))
    assert str(refused.value) == (f"HTML elements nested more than {MAX_DEPTH} deep (no browser builds a page that "
                                  "deep): not read")
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "deep.html").write_bytes(_nested(10_000))
    (folder / "good.md").write_text(MINUTES, encoding="utf-8")
    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.open(Settings(store=tmp_path / "store"), fake_model)
    report = ingest_paths([folder], assistant.library, fake_model)
    lines = {o.source.rsplit("/", 1)[-1]: o for o in report.outcomes}
    assert lines["deep.html"].status == "failed" and "\n" not in lines["deep.html"].line()
    assert "nested more than 512 deep" in lines["deep.html"].message
    assert lines["good.md"].status == "added" and lines["good.md"].chunks > 0


def test_nested_empty_headings_and_banners_give_the_first_real_title_and_running_lines():
    page = ("<html><head><title>Minutes</title></head><body>" + "<h1>" * 300 + "</h1>" * 300
            + "<div class='header'>" * 200 + "Kent County Council" + "</div>" * 200
            + "<h2>Cabinet, 4 March 2024</h2><p>The Cabinet met.</p></body></html>")
    parsed = parse_html(page.encode())
    assert parsed.title == "Cabinet, 4 March 2024"
    assert parsed.running == ("Minutes", "Kent County Council")
