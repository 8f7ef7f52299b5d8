"""kill -9 at random points (issue 18, scope 8): an ingest, an update, a prune and a ModernGov sync, each run
in a process of its own that kills itself with SIGKILL at a kill point (tests/kill_points.py) a seeded random
generator picks; then the same command is run again, or, for an update or a prune, the files are first put back
as they were (edits reverted, deleted files restored). The store must then be the one clean runs make (the
operation, then the same putting back and run): the same passages (ids and text), the same manifest entries,
the same answers to fixed questions. Hash vectors, so the comparison is exact."""
from __future__ import annotations

import os
import random
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import pytest
from hostile import MINUTES
from kill_points import KillPoints
from moderngov_site import eastbridge, serve

from assistant.cli import main
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import CORPUS, ROOT, FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder

HELPER = str(ROOT / "tests" / "writer_process.py")
QUESTIONS = ("What did the council agree to buy for the green?", "What was resolved about care leavers?",
             "What did the committee say about placements for children in care?")
COPIED = ("eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf", "northmoor_cabinet_2024-02-13_item-9_care-leavers-council-tax.html",
          "little-ashby-pc_2024-03-04_minutes.md", "little-ashby-pc_2024-05-13_annual-meeting_minutes.txt",
          "little-ashby-pc_2024-05-13_annual-meeting_minutes.meta.json")
THINGS = ("bench", "gate", "bin", "lamp", "sign", "hedge", "swing", "stile", "kiosk", "shelter", "fence", "clock")


def _lay_out(records: Path) -> None:
    """Real records of each format and a dozen small ones: several embedding batches, so several windows."""
    shutil.rmtree(records, ignore_errors=True)
    records.mkdir()
    _put_back(records)


def _put_back(records: Path) -> None:
    """Every record as first laid out: an edit reverted, a deleted file restored (a file added stays)."""
    for name in COPIED:
        shutil.copy(CORPUS / name, records / name)
    for thing in THINGS:
        (records / f"{thing}.md").write_text(MINUTES.replace("bench", thing), encoding="utf-8")


def _edit(records: Path) -> None:
    md = records / "little-ashby-pc_2024-03-04_minutes.md"
    md.write_text(md.read_text(encoding="utf-8") + "\n\nThe clerk reported that the new bench had been installed.\n",
                  encoding="utf-8")
    html = records / COPIED[1]
    html.write_text(html.read_text(encoding="utf-8").replace("care leavers", "young people leaving care", 3),
                    encoding="utf-8")
    for thing in ("gate", "lamp", "clock"):
        (records / f"{thing}.md").write_text(MINUTES.replace("bench", f"painted {thing}"), encoding="utf-8")
    (records / "pond.md").write_text(MINUTES.replace("bench", "pond dipping platform"), encoding="utf-8")


def _delete(records: Path) -> None:
    for name in (COPIED[0], "bin.md", "sign.md", "fence.md"):
        (records / name).unlink()


@dataclass(frozen=True)
class Operation:
    first_ingest: bool  # the store holds the records as laid out before the operation
    change: Callable[[Path], None] | None  # what is done to the records before the operation
    args: Callable[[Path, Path, str], list[str]]  # (records, store, site URL) -> the CLI's arguments
    trials: int


def _ingest(records, store, _):
    return ["ingest", str(records), "--store", str(store)]


def _prune(records, store, _):
    return ["ingest", str(records), "--store", str(store), "--prune"]


def _sync(_, store, url):
    return ["sync", "moderngov", url, "--store", str(store), "--council", "Eastbridge County Council",
            "--committee", "210", "--since", "2024-01-01", "--until", "2024-12-31", "--rate", "200"]


OPERATIONS = {
    "ingest": Operation(False, None, _ingest, 3),
    "update": Operation(True, _edit, _ingest, 4),
    "prune": Operation(True, _delete, _prune, 4),
    "sync": Operation(False, None, _sync, 3),
}


def _state(store: Path):
    """Every passage (id, text), every manifest entry, and the answers to QUESTIONS (text, passages cited)."""
    assistant = Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel))
    passages = sorted((c.chunk_id, c.text) for c in assistant.library.store.iter_chunks())
    entries = {s: (e.doc_id, e.sha256, e.chunks, e.meta, e.warnings)
               for s, e in assistant.library.manifest.documents.items()}
    answers = [(a.text, [c.chunk_id for c in a.citations]) for a in map(assistant.extractive_answer, QUESTIONS)]
    return passages, entries, answers


@pytest.fixture
def site():
    state = eastbridge()
    server = serve(state)
    yield state.url
    server.shutdown()
    server.server_close()


def _run(args: list[str]) -> None:
    assert main(args) == 0


@pytest.mark.slow
@pytest.mark.parametrize("name", list(OPERATIONS))
def test_killed_at_random_points_and_run_again_it_ends_in_the_clean_store(name, tmp_path, site, fake_model):
    operation = OPERATIONS[name]
    records, before = tmp_path / "records", tmp_path / "before"
    _lay_out(records)
    if operation.first_ingest:
        _run(_ingest(records, before, site))

    # The clean run, counting its kill points.
    clean = tmp_path / "clean"
    if operation.first_ingest:
        shutil.copytree(before, clean)
    if operation.change:
        operation.change(records)
    points = KillPoints()
    with pytest.MonkeyPatch.context() as patch:
        points.install(patch.setattr)
        _run(operation.args(records, clean, site))
    assert points.passed > 10
    expected = _state(clean)
    if operation.change:  # and what the clean store becomes when the files are put back and it is run again
        put_back_clean = tmp_path / "put-back"
        shutil.copytree(clean, put_back_clean)
        _put_back(records)
        _run(operation.args(records, put_back_clean, site))
        expected_put_back = _state(put_back_clean)

    rng = random.Random(f"issue 18 {name}")
    env = {**{k: v for k, v in os.environ.items() if not k.startswith("CLERK_")}, "PYTHONPATH": str(ROOT)}
    for trial in range(operation.trials):
        # An update or a prune is run again as it is once (as an ingest is, each time), then after putting back.
        kill_at, put_back = rng.randint(1, points.passed), operation.change is not None and trial > 0
        store = tmp_path / f"trial{trial}"
        _lay_out(records)
        if operation.change:
            operation.change(records)
        if operation.first_ingest:
            shutil.copytree(before, store)

        killed = subprocess.run([sys.executable, HELPER, "kill-at", str(kill_at), "clerk",
                                 *operation.args(records, store, site)], env=env, cwd=ROOT, capture_output=True,
                                text=True, timeout=300)
        assert killed.returncode == -9, (kill_at, killed.stderr[-2000:])
        if put_back:
            _put_back(records)
        _run(operation.args(records, store, site))

        assert _state(store) == (expected_put_back if put_back else expected), \
            f"{name}: killed at point {kill_at} of {points.passed}{', then put back' if put_back else ''}"
