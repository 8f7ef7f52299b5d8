"""Every file fails alone: whatever one file does to a parser, the model or the store, it gets one line
naming it and the reason, the files beside it are ingested, and what was stored of it before stays.
The kinds of bad file are catalogued in tests/bad_input.py (tests/test_bad_input.py); here, failures of
the store, the model and a whole upload, and the JSONL duplicate ids' exact words."""
import json
import shutil
from dataclasses import replace

import pytest
from hostile import MINUTES, text_pdf

from assistant.cli import main
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.uploads import history, ingest_uploads, uploads_folder
from conftest import CORPUS, FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder
from ingest.manifest import CHANGING

GOOD = ["little-ashby-pc_2024-03-04_minutes.md", "northmoor_cabinet_2024-02-13_item-9_care-leavers-council-tax.html"]


@pytest.fixture
def records(tmp_path):
    """Good records, and good first versions of the files a test will then poison."""
    folder = tmp_path / "records"
    folder.mkdir()
    for name in GOOD:
        shutil.copy(CORPUS / name, folder / name)
    (folder / "big.pdf").write_bytes(text_pdf(MINUTES))
    (folder / "odd.pdf").write_bytes(text_pdf(MINUTES.replace("bench", "bin")))
    (folder / "sidecar.md").write_text(MINUTES.replace("bench", "gate"), encoding="utf-8")
    return folder


def _stored(store, sources):
    """What the store holds of these sources: manifest entries and passages (id, text)."""
    assistant = Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel))
    entries = {s: assistant.library.manifest.documents.get(s) for s in sources}
    doc_ids = {e.doc_id for e in entries.values() if e}
    passages = sorted((c.chunk_id, c.text) for c in assistant.library.store.iter_chunks() if c.doc_id in doc_ids)
    return entries, passages


def _error_lines(err: str) -> list[str]:
    return [line for line in err.splitlines() if line.startswith("error: ")]


def _assistant(tmp_path, model=FakeModel):
    return Assistant.open(Settings(store=tmp_path / "store"), Embedder(DEFAULT_MODEL, 384, model))


def test_a_file_the_store_refuses_keeps_its_old_passages_and_its_batch_mates_are_stored(tmp_path, records,
                                                                                       monkeypatch):
    assistant = _assistant(tmp_path)
    assistant.ingest([records])
    target = str((records / "sidecar.md").resolve())
    before = _stored(tmp_path / "store", [target])
    (records / "sidecar.md").write_text(MINUTES.replace("bench", "kiosk"), encoding="utf-8")
    (records / "late.txt").write_text(MINUTES.replace("bench", "swing"), encoding="utf-8")
    add = type(assistant.library.store).add

    def refusing(store, chunks, vectors):
        if any("kiosk" in c.text for c in chunks):
            raise ValueError("Expected IDs to be unique,\nfound duplicates")  # as Chroma words it, on two lines
        add(store, chunks, vectors)

    monkeypatch.setattr(type(assistant.library.store), "add", refusing)
    report = assistant.ingest([records])

    assert [o.line() for o in report.failed] == [
        f"failed: {target}: cannot be ingested (ValueError: Expected IDs to be unique, found duplicates)"]
    assert report.count("added") == 1  # late.txt, embedded in the same batch
    entries, passages = _stored(tmp_path / "store", [target])
    assert passages == before[1]
    # The write may have begun, for all the run knows: the next run reads the file again.
    assert entries[target] == replace(before[0][target], sha256=CHANGING)
    monkeypatch.setattr(type(assistant.library.store), "add", add)
    assert assistant.ingest([records]).count("updated") == 1


class _PoisonedModel(FakeModel):
    """A model that cannot embed one document's text (as a 50 MB passage could exhaust memory)."""

    def encode(self, texts, **options):
        if any("kiosk" in t for t in texts):
            raise MemoryError("cannot allocate")
        return super().encode(texts, **options)


def test_a_file_the_model_cannot_embed_fails_alone(tmp_path, records):
    (records / "sidecar.md").write_text(MINUTES.replace("bench", "kiosk"), encoding="utf-8")
    report = _assistant(tmp_path, _PoisonedModel).ingest([records])
    assert [o.line() for o in report.failed] == [
        f"failed: {(records / 'sidecar.md').resolve()}: cannot be ingested (MemoryError: cannot allocate)"]
    assert report.count("added") == 4


def test_a_failed_upload_never_replaces_an_earlier_good_one(tmp_path, monkeypatch):
    assistant = _assistant(tmp_path)
    good = MINUTES.encode()
    assert ingest_uploads(assistant, [("board.md", good)])[0].status == "added"
    kept = uploads_folder(assistant) / "board.md"

    def broken(*_, **__):
        raise RuntimeError("disk full")

    monkeypatch.setattr(assistant, "ingest", broken)  # not a file's failure: the whole ingest breaks
    results = ingest_uploads(assistant, [("board.md", b"Something else entirely, about the bins."),
                                         ("new.md", MINUTES.replace("bench", "bin").encode())])

    assert [(r.status, r.message) for r in results] == [("failed", "not ingested: cannot be ingested "
                                                         "(RuntimeError: disk full)")] * 2
    assert kept.read_bytes() == good  # its download still serves the good file
    assert not (kept.parent / "new.md").exists()
    assert [(h.name, h.status) for h in history(kept.parent)][-2:] == [("board.md", "failed"), ("new.md", "failed")]
    assert json.loads((kept.parent / ".history.jsonl").read_text().splitlines()[-1])["message"].endswith("disk full)")


def _jsonl(*records) -> str:
    return "".join(json.dumps({"id": key, "text": text}) + "\n" for key, text in records)


def test_a_jsonl_whose_lines_share_an_id_is_refused_before_its_stored_records_are_touched(
        tmp_path, records, fake_model, capsys):
    items = records / "items.jsonl"
    items.write_text(_jsonl(("k1", MINUTES), ("k2", MINUTES.replace("bench", "gate")),
                            ("k3", MINUTES.replace("bench", "bin"))), encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", str(records), "--store", str(store)]) == 0
    before = _stored(store, [str(items.resolve())])
    assert len(before[1]) == 3
    items.write_text(_jsonl(("k1", MINUTES), ("k2", MINUTES.replace("bench", "gate")),
                            ("k1", MINUTES.replace("bench", "kiosk"))), encoding="utf-8")
    (records / "late.txt").write_text(MINUTES.replace("bench", "swing"), encoding="utf-8")
    capsys.readouterr()

    assert main(["ingest", str(records), "--store", str(store)]) == 1

    out, err = capsys.readouterr()
    assert _error_lines(err) == [f'error: {items.resolve()}: duplicate id "k1" on lines 1 and 3: '
                                 'each record needs its own id']
    assert "Traceback" not in err and "1 added" in out
    assert _stored(store, [str(items.resolve())]) == before


def test_ids_that_become_one_once_made_safe_are_duplicates_too():
    from ingest.errors import ParseError
    from ingest.parse_jsonl import parse_jsonl

    with pytest.raises(ParseError, match=r'^duplicate id "a_b" on lines 1 \("a b" there\) and 2: '):
        parse_jsonl(_jsonl(("a b", MINUTES), ("a_b", MINUTES)).encode())
