"""The check at the start of every ingest (ingest/consistency.py `repair_if_needed`): cheap when the store
agrees with its manifest (two counts, no passage read), a repair in one printed line when it does not."""
from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import pytest
from hostile import MINUTES

import ingest.consistency
from assistant.cli import main
from assistant.service import Assistant
from assistant.settings import Settings


@pytest.fixture
def world(tmp_path, fake_model, capsys):
    """A store holding three records, and a fourth record not yet ingested."""
    records, later = tmp_path / "records", tmp_path / "later"
    records.mkdir()
    later.mkdir()
    for thing in ("bench", "gate", "bin"):
        (records / f"{thing}.md").write_text(MINUTES.replace("bench", thing), encoding="utf-8")
    (later / "lamp.md").write_text(MINUTES.replace("bench", "lamp"), encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", str(records), "--store", str(store)]) == 0
    capsys.readouterr()
    return store, records, later, Assistant.open(Settings(store=store), fake_model)


def _documents(store: Path) -> dict[str, dict]:
    return json.loads((store / "manifest.json").read_text())["documents"]


def _ingest_later(store: Path, later: Path, capsys) -> list[str]:
    assert main(["ingest", str(later), "--store", str(store)]) == 0
    return capsys.readouterr().out.splitlines()


def test_an_orphan_passage_is_deleted_at_the_start_of_the_next_ingest(world, capsys):
    store, records, later, assistant = world
    # A passage stored by a writer that never recorded it: a copy of bench's first, under a document of its own.
    bench = _documents(store)[str(records / "bench.md")]
    chunk = assistant.library.store.documents([bench["doc_id"]])[0]
    orphan = replace(chunk, chunk_id="orphan:p0", doc_id="orphan", source=str(records / "gone.md"))
    assistant.library.store.add([orphan], assistant.embedder.encode([orphan.indexed_text()]))
    assert "orphan:p0" in assistant.library.store.ids()

    out = _ingest_later(store, later, capsys)

    assert [line for line in out if "repaired" in line] == [
        "repaired before ingesting: deleted 1 passages of 1 documents no manifest entry owned; 0 files ingested again"]
    assert "orphan:p0" not in assistant.library.store.ids()
    assert {Path(s).name for s in _documents(store)} == {"bench.md", "gate.md", "bin.md", "lamp.md"}
    assert main(["check", "--store", str(store)]) == 0


def test_a_manifest_entry_dropped_by_hand_has_its_file_ingested_again(world, capsys):
    store, records, later, assistant = world
    manifest = json.loads((store / "manifest.json").read_text())
    gate = manifest["documents"].pop(str(records / "gate.md"))  # its passages are now owned by no entry
    (store / "manifest.json").write_text(json.dumps(manifest))

    out = _ingest_later(store, later, capsys)

    assert [line for line in out if "repaired" in line] == [
        f"repaired before ingesting: deleted {gate['chunks']} passages of 1 documents no manifest entry owned; "
        "1 files ingested again"]
    documents = _documents(store)
    assert documents[str(records / "gate.md")]["chunks"] == gate["chunks"]
    assert {Path(s).name for s in documents} == {"bench.md", "gate.md", "bin.md", "lamp.md"}
    assert assistant.library.store.count() == sum(entry["chunks"] for entry in documents.values())
    assert main(["check", "--store", str(store)]) == 0


def test_an_entry_whose_passages_are_gone_is_dropped_and_its_file_ingested_again(world, capsys):
    store, records, later, assistant = world
    bin_entry = _documents(store)[str(records / "bin.md")]
    assistant.library.store.delete_document(bin_entry["doc_id"])

    out = _ingest_later(store, later, capsys)

    assert [line for line in out if "repaired" in line] == [
        "repaired before ingesting: dropped 1 manifest entries without all their passages; 1 files ingested again"]
    assert main(["check", "--store", str(store)]) == 0
    assert len(assistant.library.store.documents([bin_entry["doc_id"]])) == bin_entry["chunks"]


def test_an_undamaged_store_is_not_read_passage_by_passage(world, capsys, monkeypatch):
    store, records, later, _ = world

    def must_not_run(*_):
        raise AssertionError("the full check ran on a store whose counts agree")

    monkeypatch.setattr(ingest.consistency, "check", must_not_run)
    monkeypatch.setattr("ingest.store.Store.passages_by_document", must_not_run)
    out = _ingest_later(store, later, capsys)
    assert not [line for line in out if "repaired" in line]
    assert {Path(s).name for s in _documents(store)} == {"bench.md", "gate.md", "bin.md", "lamp.md"}
