"""Many users at once (issue 18, scope 8): two app sessions asking while a third uploads, as threads sharing the
app's one Assistant (pages_app/common.py: one per process, shared by every session); and two `clerk ask`
processes while a `clerk ingest` process is half way through its writes. No "database is locked", no error,
no upload or record lost. Nothing waits on time: the ingest stops half written until the test has asked."""
from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest
from hostile import MINUTES

from assistant.service import Assistant
from assistant.settings import Settings
from assistant.uploads import history, ingest_uploads
from conftest import CORPUS, ROOT, FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder
from ingest.lexical import LexicalIndex

HELPER = str(ROOT / "tests" / "writer_process.py")
QUESTIONS = ("What did Northmoor cabinet decide about council tax for care leavers?",  # answered, with hash vectors
             "What did Little Ashby resolve about the village hall roof?")
THINGS = ("lamp", "sign", "hedge", "swing", "stile", "kiosk", "shelter", "fence", "clock", "pond")


def _minutes(thing: str) -> bytes:
    return MINUTES.replace("bench", f"{thing} post").encode()


@pytest.fixture
def demo(tmp_path):
    """A store holding the demo corpus, with hash vectors."""
    store = tmp_path / "store"
    assert not Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel)).ingest([CORPUS]).failed
    return store


@pytest.mark.slow
def test_two_sessions_ask_while_a_third_uploads(demo):
    app = Assistant.open(Settings(store=demo), Embedder(DEFAULT_MODEL, 384, FakeModel))
    uploaded = threading.Event()

    def session(question: str) -> int:
        """Asks until the uploads are all in, and at least three times: the answers asked meanwhile."""
        asked = 0
        while not uploaded.is_set() or asked < 3:
            answer = app.ask(question)
            assert answer.citations and not answer.abstained, answer.text
            asked += 1
        return asked

    def uploader() -> list:
        try:
            return [r for thing in THINGS for r in ingest_uploads(app, [(f"{thing}.md", _minutes(thing))])]
        finally:
            uploaded.set()

    with ThreadPoolExecutor(3) as pool:
        asking = [pool.submit(session, q) for q in QUESTIONS]
        uploading = pool.submit(uploader)
        results = uploading.result(timeout=600)
        counts = [a.result(timeout=600) for a in asking]  # an exception in a session (database is locked) is raised

    assert [(r.name, r.status) for r in results] == [(f"{t}.md", "added") for t in THINGS]
    assert all(n >= 3 for n in counts)
    folder = demo / "uploads"
    assert {h.name for h in history(folder) if h.status == "added"} == {f"{t}.md" for t in THINGS}
    library = Assistant.open(Settings(store=demo), Embedder(DEFAULT_MODEL, 384, FakeModel)).library  # as on disk
    entries = [library.manifest.documents.get(str(folder.resolve() / f"{t}.md")) for t in THINGS]
    assert all(e and len(library.store.documents([e.doc_id])) == e.chunks > 0 for e in entries)  # no upload lost


def _clerk(*args: str) -> subprocess.Popen:
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLERK_")}
    return subprocess.Popen([sys.executable, HELPER, *args], env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _ask(store: Path, question: str) -> tuple[int, str, str]:
    asker = _clerk("clerk", "ask", question, "--store", str(store))
    out, err = asker.communicate(timeout=300)
    return asker.returncode, out, err


@pytest.mark.slow
def test_two_cli_askers_while_an_ingest_is_half_written(demo, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    for n in range(150):  # several embedding batches: the ingest stops after the first is written
        (records / f"minutes-{n:03}.md").write_bytes(_minutes(f"{THINGS[n % len(THINGS)]} {n}"))
    paused, release = tmp_path / "paused", tmp_path / "release"
    ingest = _clerk("pause", str(paused), str(release), "clerk", "ingest", str(records), "--store", str(demo))
    try:
        while not paused.exists():  # the condition, not a delay: it has written passages, not the rest
            assert ingest.poll() is None, ingest.communicate()
            threading.Event().wait(0.05)
        with ThreadPoolExecutor(2) as pool:
            during = list(pool.map(lambda q: _ask(demo, q), QUESTIONS))  # while it holds the store half written
            release.touch()
            after = []
            while ingest.poll() is None or len(after) < 2:  # and while it writes the rest
                after += pool.map(lambda q: _ask(demo, q), QUESTIONS)
        out, err = ingest.communicate(timeout=300)
    finally:
        release.touch()
        if ingest.poll() is None:
            ingest.kill()
    assert ingest.returncode == 0 and "150 added" in out, err
    for code, answer, errors in during + after:
        assert code == 0 and "database is locked" not in errors and "Traceback" not in errors, errors
        assert "[1]" in answer  # an answer that cites
    manifest = json.loads((demo / "manifest.json").read_text())["documents"]
    assert sum(Path(s).parent == records.resolve() for s in manifest) == 150  # no record lost


def test_an_index_saved_while_another_save_is_half_written_is_whole(fake_store, tmp_path, monkeypatch):
    """The race the askers above met, made certain: a second `clerk ask` saves the lexical index it rebuilt
    while the first is writing its own (each used to write, and delete, the one folder "lexical.tmp")."""
    index = Assistant.open(Settings(store=fake_store), Embedder(DEFAULT_MODEL, 384, FakeModel)).library.lexical()
    target, write = tmp_path / "lexical", np.savez
    meanwhile: list[Path] = []

    def write_while_another_saves(path, *args, **kwargs):  # the first save's corpus, after its bm25 folder
        if not meanwhile:
            meanwhile.append(target)
            index.save(target)
        write(path, *args, **kwargs)

    monkeypatch.setattr(np, "savez", write_while_another_saves)
    index.save(target)

    loaded = LexicalIndex.load(target)
    assert meanwhile and loaded.ids == index.ids and loaded.revision == index.revision
    assert [p.name for p in tmp_path.iterdir()] == ["lexical"]  # no half-written folder left behind


def test_a_save_killed_long_ago_leaves_nothing_behind_but_one_under_way_is_left_alone(fake_store, tmp_path):
    index = Assistant.open(Settings(store=fake_store), Embedder(DEFAULT_MODEL, 384, FakeModel)).library.lexical()
    abandoned, under_way = tmp_path / ".lexical-new-killed", tmp_path / ".lexical-new-writing"
    for folder in (abandoned, under_way):
        (folder / "bm25").mkdir(parents=True)
    hours_ago = time.time() - 2 * 3600  # a save takes seconds: one of two hours ago was killed
    os.utime(abandoned, (hours_ago, hours_ago))
    index.save(tmp_path / "lexical")
    assert sorted(p.name for p in tmp_path.iterdir()) == [".lexical-new-writing", "lexical"]
