"""One writer per store, across processes (ingest/writer.py), and `clerk check` (ingest/consistency.py).

Two real processes write one store: the first holds the store's lock until the test lets it go (a file
it waits for), so the second is seen waiting, and told who it waits for, without any timing luck.
Afterwards the manifest holds both writers' records and `clerk check` finds the store consistent."""
from __future__ import annotations

import json
import os
import queue
import re
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from hostile import MINUTES

from assistant.cli import main
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.uploads import ingest_uploads
from conftest import ROOT, FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder

HELPER = str(ROOT / "tests" / "writer_process.py")
SINCE = r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d"  # when the holder took the lock


def _folder(root: Path, name: str, things: list[str]) -> Path:
    folder = root / name
    folder.mkdir()
    for thing in things:
        (folder / f"{thing}.md").write_text(MINUTES.replace("bench", thing), encoding="utf-8")
    return folder


@pytest.fixture
def world(tmp_path):
    first = _folder(tmp_path, "first", ["bench", "gate", "bin"])
    second = _folder(tmp_path, "second", ["lamp", "sign"])
    return tmp_path / "store", first, second


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLERK_")}
    return {**env, "PYTHONPATH": str(ROOT), **extra}


class Holder:
    """The first writer, in its own process, holding the store until `release()`."""

    def __init__(self, store: Path, folder: Path, tmp: Path):
        self.held, self.release_file = tmp / "held", tmp / "release"
        self.process = subprocess.Popen([sys.executable, HELPER, "hold", str(store), str(self.held),
                                         str(self.release_file), str(folder)], env=_env(), cwd=ROOT)
        while not self.held.exists():  # it is the writer from here on
            assert self.process.poll() is None, "the holder died before taking the lock"
            threading.Event().wait(0.02)

    def release(self) -> int:
        self.release_file.touch()
        return self.process.wait(120)


def _clerk(*args: str, **env) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, HELPER, "clerk", *args], env=_env(**env), cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for_line(stream, needle: str) -> str:
    """The first line of `stream` holding `needle` (read on a thread: a process that never says it fails
    the test at the bound instead of hanging it)."""
    lines: queue.Queue[str] = queue.Queue()
    threading.Thread(target=lambda: [lines.put(line) for line in stream], daemon=True).start()
    while True:
        line = lines.get(timeout=120)
        if needle in line:
            return line


def _manifest(store: Path) -> set[str]:
    return {Path(s).name for s in json.loads((store / "manifest.json").read_text())["documents"]}


def test_a_second_writer_waits_for_the_first_and_neither_loses_the_others_records(world, tmp_path):
    store, first, second = world
    holder = Holder(store, first, tmp_path)
    waiting = _clerk("ingest", str(second), "--store", str(store))
    told = _wait_for_line(waiting.stderr, "is being written by")
    assert told.startswith(f"{store.resolve()} is being written by the test's first writer, pid {holder.process.pid}")
    assert "CLERK_WRITE_WAIT" in told
    assert waiting.poll() is None  # still waiting: the holder has not let go
    assert holder.release() == 0
    out, _ = waiting.communicate(timeout=120)
    assert waiting.returncode == 0, out
    assert _manifest(store) == {"bench.md", "gate.md", "bin.md", "lamp.md", "sign.md"}
    checked = _clerk("check", "--store", str(store))
    out, err = checked.communicate(timeout=120)
    assert checked.returncode == 0 and out.splitlines()[-1] == "consistent", out + err


def test_a_writer_that_will_not_wait_stops_with_one_line_and_changes_nothing(world, tmp_path):
    store, first, second = world
    holder = Holder(store, first, tmp_path)
    try:
        refused = _clerk("ingest", str(second), "--store", str(store), CLERK_WRITE_WAIT="0")
        out, err = refused.communicate(timeout=120)
    finally:
        assert holder.release() == 0
    assert refused.returncode == 2
    assert re.fullmatch(rf"error: {re.escape(str(store.resolve()))} is still being written by the test's first "
                        rf"writer, pid {holder.process.pid}, since {SINCE} after 0 s: try again when it has finished, "
                        r"or wait longer with CLERK_WRITE_WAIT", err.splitlines()[-1])
    assert "Traceback" not in err and _manifest(store) == {"bench.md", "gate.md", "bin.md"}


def test_a_writer_killed_with_the_lock_leaves_the_store_free(world, tmp_path):
    store, first, second = world
    holder = Holder(store, first, tmp_path)
    holder.process.send_signal(signal.SIGKILL)
    holder.process.wait(60)
    after = _clerk("ingest", str(second), "--store", str(store), CLERK_WRITE_WAIT="0")
    out, err = after.communicate(timeout=120)
    assert after.returncode == 0 and "is being written" not in err, err
    assert _manifest(store) == {"lamp.md", "sign.md"}


def test_readers_never_wait_and_an_upload_in_the_app_waits_with_a_message(world, tmp_path):
    store, first, second = world
    Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel)).ingest([second])
    holder = Holder(store, first, tmp_path)
    try:
        app = Assistant.open(Settings(store=store, write_wait=0), Embedder(DEFAULT_MODEL, 384, FakeModel))
        answer = app.ask("What did the council agree to buy for the green?")  # while the store is held
        told: list[str] = []
        results = ingest_uploads(app, [("pond.md", MINUTES.replace("bench", "pond").encode())], on_wait=told.append)
    finally:
        assert holder.release() == 0
    assert not answer.abstained and {Path(c.source).name for c in answer.citations} <= {"lamp.md", "sign.md"}
    assert len(told) == 1 and re.fullmatch(
        rf"{re.escape(str(store.resolve()))} is being written by the test's first writer, pid {holder.process.pid}, "
        rf"since {SINCE}: waiting for it to finish \(up to 0 s, CLERK_WRITE_WAIT\)", told[0])
    assert [(r.name, r.status) for r in results] == [("pond.md", "failed")]
    assert "is still being written by the test's first writer" in results[0].message
    assert not (store / "uploads" / "pond.md").exists()  # a refused upload leaves nothing behind


def test_clerk_check_finds_and_repairs_what_the_manifest_and_chroma_disagree_on(world, capsys, fake_model):
    store, first, _ = world
    assert main(["ingest", str(first), "--store", str(store)]) == 0
    capsys.readouterr()
    # What two unlocked writers left: passages whose manifest entry was overwritten, and an entry whose
    # passages are gone.
    manifest = json.loads((store / "manifest.json").read_text())
    lost = next(s for s in manifest["documents"] if s.endswith("gate.md"))
    lost_passages = manifest["documents"].pop(lost)["chunks"]
    (store / "manifest.json").write_text(json.dumps(manifest))
    emptied = next(s for s in manifest["documents"] if s.endswith("bin.md"))
    assistant = Assistant.open(Settings(store=store), fake_model)
    assistant.library.store.delete_document(manifest["documents"][emptied]["doc_id"])
    expected = manifest["documents"][emptied]["chunks"]

    assert main(["check", "--store", str(store)]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[2:] == [f"passages no manifest entry owns: {lost_passages} of 1 documents",
                       f"  {lost}: {lost_passages} passages",
                       "manifest entries without all their passages: 1",
                       f"  {emptied}: 0 of {expected} passages stored",
                       "inconsistent: clerk check --repair deletes passages no entry owns, drops incomplete entries "
                       "and ingests their files again"]

    assert main(["check", "--store", str(store), "--repair"]) == 0
    out = capsys.readouterr().out
    assert f"removed: {lost} ({lost_passages} chunks)" in out or f"removed: {lost}" in out
    assert f"added: {emptied}" in out and f"added: {lost}" in out and out.splitlines()[-1] == "repaired: consistent"
    assert main(["check", "--store", str(store)]) == 0
    assert _manifest(store) == {"bench.md", "gate.md", "bin.md"}
