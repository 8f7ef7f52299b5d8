import io
import os
import shutil
import signal
import subprocess
import sys
import time

import pypdf
import pytest

from assistant.cli import main
from conftest import CORPUS, ROOT

RECORDS = ["northmoor_cabinet_2024-02-13_item-9_care-leavers-council-tax.html",
           "eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf",
           "little-ashby-pc_2024-03-04_minutes.md"]


@pytest.fixture
def records(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    for name in RECORDS:
        shutil.copy(CORPUS / name, folder / name)
    return folder


def _ids(assistant):
    return sorted(c.chunk_id for c in assistant.library.store.iter_chunks())


def test_reingest_is_idempotent_and_changes_replace(make_assistant, records):
    assistant = make_assistant()
    first = assistant.ingest([records])
    assert first.count("added") == 3
    ids = _ids(assistant)
    assert len(ids) == assistant.library.store.count() > 10

    again = assistant.ingest([records])
    assert again.count("unchanged") == 3 and again.chunks_embedded == 0
    assert _ids(assistant) == ids

    changed = records / RECORDS[2]
    changed.write_text(changed.read_text(encoding="utf-8") + "\n\nRESOLVED: That a new bench be bought for the green.\n",
                       encoding="utf-8")
    report = assistant.ingest([records])
    assert report.count("updated") == 1 and report.count("unchanged") == 2
    doc_id = assistant.library.manifest.documents[str(changed.resolve())].doc_id
    texts = [c.text for c in assistant.library.store.iter_chunks() if c.doc_id == doc_id]
    assert sum("new bench" in t for t in texts) == 1
    assert len(_ids(assistant)) == len(set(_ids(assistant)))
    hits = assistant.retriever.search("new bench on the green", 3)
    assert "new bench" in hits[0].chunk.text


def test_prune_removes_documents_whose_files_are_gone(make_assistant, records):
    assistant = make_assistant()
    assistant.ingest([records])
    gone = records / RECORDS[0]
    gone_id = assistant.library.manifest.documents[str(gone.resolve())].doc_id
    gone.unlink()
    kept = assistant.ingest([records])
    assert kept.count("removed") == 0 and gone_id in {c.doc_id for c in assistant.library.store.iter_chunks()}
    pruned = assistant.ingest([records], prune=True)
    assert pruned.count("removed") == 1
    assert gone_id not in {c.doc_id for c in assistant.library.store.iter_chunks()}
    assert str(gone.resolve()) not in assistant.library.manifest.documents
    assert all(c.chunk_id in assistant.library.lexical().ids for c in assistant.library.store.iter_chunks())
    assert len(assistant.library.lexical().ids) == assistant.library.store.count()


def test_the_lexical_index_rereads_only_passages_of_documents_that_changed(make_assistant, records, monkeypatch):
    import numpy as np

    from ingest.store import Store

    make_assistant().ingest([records])
    fetched: list[str] = []
    real_get = Store.get
    monkeypatch.setattr(Store, "get", lambda store, ids: fetched.extend(ids) or real_get(store, ids))

    def change(name: str, line: str) -> set[str]:
        path = records / name
        path.write_text(path.read_text(encoding="utf-8") + f"\n\n{line}\n", encoding="utf-8")
        fetched.clear()
        assistant = make_assistant()  # a fresh open: the kept corpus is read from disk
        assert assistant.ingest([records]).count("updated") == 1
        doc_id = assistant.library.manifest.documents[str(path.resolve())].doc_id
        return assistant, {c.chunk_id for c in assistant.library.store.iter_chunks() if c.doc_id == doc_id}

    assistant, changed = change(RECORDS[2], "RESOLVED: That a new bench be bought for the green.")
    assert set(fetched) == changed and len(changed) < assistant.library.store.count()
    assistant, changed = change(RECORDS[0], "RESOLVED: That the zebra crossing be repainted.")
    assert set(fetched) == changed

    # The same index as one built from nothing: same passages, facets, furniture and BM25 scores.
    incremental = assistant.library.lexical()
    shutil.rmtree(assistant.library.lexical_dir)
    fresh = make_assistant().library.lexical()
    assert sorted(incremental.ids) == sorted(fresh.ids) and incremental.boilerplate == fresh.boilerplate
    order = [fresh.ids.index(i) for i in incremental.ids]
    assert [fresh.facets[i] for i in order] == incremental.facets
    for query in ("new bench on the green", "zebra crossing", "care leavers council tax", "minutes"):
        assert np.allclose(incremental.scores(query), fresh.scores(query)[order])
    assert incremental.ids[int(np.argmax(incremental.scores("zebra crossing repainted")))] in changed


def _encrypted_pdf() -> bytes:
    writer = pypdf.PdfWriter(clone_from=pypdf.PdfReader(CORPUS / RECORDS[1]))
    writer.encrypt("secret", algorithm="RC4-128")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_bad_files_fail_one_by_one_and_harm_nothing(tmp_path, records, embedder, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(records), "--store", str(store)]) == 0
    before = capsys.readouterr()
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "empty.txt").write_bytes(b"")
    (bad / "binary.pdf").write_bytes(os.urandom(4096))
    (bad / "locked.pdf").write_bytes(_encrypted_pdf())
    (bad / "legacy.txt").write_bytes("Minutes: the café grant of £250 was approved by the parish.".encode("latin-1"))
    (bad / "notes.docx").write_bytes(b"PK\x03\x04")
    shutil.copy(CORPUS / "little-ashby-pc_2024-09-09_minutes.md", bad / "good.md")

    status = main(["ingest", str(bad), "--store", str(store)])
    out = capsys.readouterr()
    assert status == 1
    errors = [line for line in out.err.splitlines() if line.startswith("error:")]
    assert len(errors) == 3
    assert any("empty.txt" in e and "file is empty" in e for e in errors)
    assert any("binary.pdf" in e and "not a PDF" in e for e in errors)
    assert any("locked.pdf" in e and "encrypted" in e for e in errors)
    assert any("legacy.txt" in line and "not valid UTF-8" in line for line in out.out.splitlines())
    assert any("notes.docx" in line and "unsupported" in line for line in out.out.splitlines())
    assert "2 added" in out.out  # good.md and the Latin-1 file

    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.open(Settings(store=store), embedder=embedder)
    sources = {os.path.basename(s) for s in assistant.library.manifest.documents}
    assert sources == set(RECORDS) | {"good.md", "legacy.txt"}
    answer = assistant.ask("What was approved for the café?")
    assert "café grant of £250" in answer.citations[0].text
    assert "store:" in before.out


def _clerk(*args):
    return [sys.executable, "-m", "assistant.cli", *args]


def test_killed_ingest_is_completed_by_a_rerun(tmp_path):
    """kill -9 part-way through, then re-run: same chunk ids as a clean ingest, no duplicates."""
    records = tmp_path / "records"
    shutil.copytree(CORPUS, records, ignore=shutil.ignore_patterns("*.py"))
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    clean, killed = tmp_path / "clean", tmp_path / "killed"

    proc = subprocess.Popen(_clerk("ingest", str(records), "--store", str(killed)), cwd=ROOT, env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    # Wait until chunks are being stored (the manifest exists), then kill without warning.
    deadline = time.time() + 300
    while not (killed / "manifest.json").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.05)
    time.sleep(0.7)  # land inside a later batch, not on the clean point just after a manifest write
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL, "ingest finished before it could be killed"

    for store in (killed, clean):
        done = subprocess.run(_clerk("ingest", str(records), "--store", str(store)), cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        assert done.returncode == 0, done.stderr

    def chunk_ids(store):
        import chromadb
        from chromadb.config import Settings

        client = chromadb.PersistentClient(str(store / "chroma"), settings=Settings(anonymized_telemetry=False))
        return client.get_collection("clerk_passages").get(include=[])["ids"]

    killed_ids, clean_ids = chunk_ids(killed), chunk_ids(clean)
    assert len(killed_ids) == len(set(killed_ids))
    assert sorted(killed_ids) == sorted(clean_ids)
