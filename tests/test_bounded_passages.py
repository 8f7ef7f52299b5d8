"""Every passage at most MAX_CHARS characters as well as `max_words` words, whatever the spacing:
a line with no spaces, a "word" of 10,000 characters and words far apart are cut, and nothing is lost."""
import re

from hostile import MINUTES

from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.chunk import MAX_CHARS, chunk_document
from ingest.embed import DEFAULT_MODEL, Embedder
from ingest.records import Document, Page, RecordMeta


def _chunks(text: str):
    return chunk_document(Document("d", "s", "h", (Page(1, text),), RecordMeta()))


def _assert_bounded_and_whole(text: str, chunks) -> None:
    """Every passage within bounds, and every word of up to 30 characters in one: slices of a longer
    "word" may be dropped, as any passage of fewer than five real words is, unless that leaves nothing."""
    assert chunks and all(len(c.text) <= MAX_CHARS and len(c.text.split()) <= 150 for c in chunks)
    covered = bytearray(len(text))
    for c in chunks:
        assert text[c.start:c.end] == c.text
        covered[c.start:c.end] = b"\1" * (c.end - c.start)
    words = [m for m in re.finditer(r"\S+", text) if len(m[0]) <= 30]
    assert all(covered[m.start()] and covered[m.end() - 1] for m in words), "a word left out of every passage"


def test_a_word_of_ten_thousand_characters_is_cut_and_the_prose_around_it_kept():
    text = (f"{MINUTES}\n\nThe drawings of the bench were attached as {'x' * 10_000} and read by the clerk "
            f"to the council.\n\n{MINUTES.replace('bench', 'gate')}")
    chunks = _chunks(text)
    _assert_bounded_and_whole(text, chunks)
    assert any("bench" in c.text for c in chunks) and any("gate" in c.text for c in chunks)


def test_words_far_apart_are_cut_by_characters():
    text = (" " * 500).join(["Councillors"] * 100)  # 100 words, 50,000 characters
    _assert_bounded_and_whole(text, _chunks(text))


def test_a_resolution_of_two_megabytes_is_no_decision_and_is_cut():
    text = "RESOLVED: that the plans be approved as " + "y" * 2_000_000
    chunks = _chunks(text)
    _assert_bounded_and_whole(text, chunks)
    assert not any(c.decision for c in chunks)


def test_a_two_megabyte_line_with_no_spaces_becomes_bounded_passages():
    text = "z" * 2_000_000
    chunks = _chunks(text)  # kept, though word-less: they are all the record has
    _assert_bounded_and_whole(text, chunks)
    assert len(chunks) == -(-len(text) // MAX_CHARS)  # the slices of a "word" do not overlap


def test_a_line_with_no_spaces_is_stored_as_bounded_passages(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "line.txt").write_text("z" * 200_000, encoding="utf-8")  # Chroma takes 8 s a MB to index
    assistant = Assistant.open(Settings(store=tmp_path / "store"), Embedder(DEFAULT_MODEL, 384, FakeModel))

    assert assistant.ingest([records]).count("added") == 1
    assert {len(c.text) for c in assistant.library.store.iter_chunks()} == {MAX_CHARS, 200_000 % MAX_CHARS}
