"""The catalogue of bad input (tests/bad_input.py), each kind run through `clerk ingest` after a good ingest:
one line naming the file and the reason, or a clean ingest; never a traceback; and what was stored before
unchanged, of the poisoned file and of every other. Then all kinds at once, in one folder tree, through
the CLI in a process of its own, as a user meets it; and the upload kinds through the app's upload path."""
from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from bad_input import GOOD_FIRST, KINDS, RECORD, UPLOAD_KINDS, Kind
from hostile import MINUTES

from assistant.cli import clean, main, one_line
from assistant.service import Assistant
from assistant.settings import Settings
from assistant.uploads import history, ingest_uploads, uploads_folder
from conftest import ROOT, FakeModel
from ingest.chunk import MAX_CHARS, PASSAGE_WORDS
from ingest.embed import DEFAULT_MODEL, Embedder

HELPER = str(ROOT / "tests" / "writer_process.py")
NOT_ERRORS = re.compile(r"^(reading|embedding): |^loading the embedding model…$|^$")  # progress bars, the model


def _open(store: Path, **settings) -> Assistant:
    return Assistant.open(Settings(store=store, **settings), Embedder(DEFAULT_MODEL, 384, FakeModel))


def _state(store: Path) -> dict[str, tuple]:
    """Each manifest entry with its passages (id, text): what a later run must not lose."""
    library = _open(store).library
    passages: dict[str, list] = {}
    for chunk in library.store.iter_chunks():
        passages.setdefault(chunk.doc_id, []).append((chunk.chunk_id, chunk.text))
    return {source: (entry, sorted(passages.get(entry.doc_id, [])))
            for source, entry in library.manifest.documents.items()}


def _lay_out(root: Path, kinds: list[Kind]) -> None:
    """Each kind's folder with its good records, before it is poisoned."""
    for kind in kinds:
        folder = root / kind.name
        folder.mkdir(parents=True)
        (folder / "neighbour.md").write_text(MINUTES.replace("bench", "hedge"), encoding="utf-8")
        if kind.first:
            (folder / f"{RECORD}{kind.first}").write_bytes(GOOD_FIRST[kind.first])


def _expected(folder: Path, kind: Kind) -> dict[str, tuple[str, str]]:
    """Per source: (status, the start of its message)."""
    found = {}
    for name, outcome in kind.outcomes.items():
        status, _, message = outcome.partition(": ")
        found[str(folder.resolve() / name)] = (status, message.replace("{folder}", str(folder.resolve())))
    return found


def _check_lines(expected: dict[str, tuple[str, str]], out: str, err: str) -> None:
    """Each failure one `error: FILE: REASON` line; warnings and skips one line on stdout; nothing else
    on stderr (no traceback, no library's log line naming no file); an unread file never mentioned."""
    assert "Traceback" not in err
    err_lines = re.split(r"[\r\n]", err)
    assert all(line.startswith("error: ") or NOT_ERRORS.match(line) for line in err_lines), err_lines
    errors = [line for line in err_lines if line.startswith("error: ")]
    out_lines = out.splitlines()
    for source, (status, message) in expected.items():
        shown = clean(one_line(source))  # as the CLI prints a name: control characters escaped, on one line
        if status == "failed":
            mine = [line for line in errors if line.startswith(f"error: {shown}: ")]
            assert len(mine) == 1 and mine[0].startswith(f"error: {shown}: {message}"), (source, message, errors)
        elif status == "unread":
            assert not [line for line in out_lines + err_lines if shown in line], source
        elif message:
            assert any(line.startswith(f"{status}: {shown}: {message}") for line in out_lines), (source, out_lines)
    assert len(errors) == sum(status == "failed" for status, _ in expected.values()), errors


def _check_store(before: dict, after: dict, expected: dict[str, tuple[str, str]]) -> None:
    """What was stored before is all still there, but for the files ingested afresh; those are stored;
    every passage is within bounds."""
    for source, stored in before.items():
        if expected.get(source, ("",))[0] not in ("added", "updated"):
            assert after.get(source) == stored, f"{source} changed"
    for source, (status, _) in expected.items():
        if status in ("added", "updated"):
            entry, passages = after[source]
            assert passages and entry.chunks == len(passages)
            assert source not in before or entry.sha256 != before[source][0].sha256
    assert all(len(text) <= MAX_CHARS and len(text.split()) <= PASSAGE_WORDS
               for _, passages in after.values() for _, text in passages)


def _summary_counts(out: str) -> dict[str, int]:
    summary = next(line for line in out.splitlines() if "chunks embedded" in line)
    return {status: int(n) for n, status in re.findall(r"(\d+) (added|updated|skipped|failed)", summary)}


def _counts(expected: dict[str, tuple[str, str]]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for status, _ in expected.values():
        if status != "unread":
            counts[status] = counts.get(status, 0) + 1
    return counts


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    """Every kind's folder with its good records, ingested: the tests poison one folder each."""
    root = tmp_path_factory.mktemp("catalogue")
    _lay_out(root / "records", KINDS)
    report = _open(root / "store").ingest([root / "records"])
    assert not report.failed, [o.line() for o in report.failed]
    return root / "records", root / "store"


def test_the_catalogue_has_forty_kinds_and_more():
    assert len(KINDS) + len(UPLOAD_KINDS) >= 40 and len({k.name for k in KINDS}) == len(KINDS)


@pytest.mark.parametrize("kind", KINDS, ids=[k.name for k in KINDS])
def test_each_kind_fails_alone_in_one_line_or_is_ingested_and_loses_nothing(kind, world, fake_model, capsys):
    records, store = world
    folder = records / kind.name
    before = _state(store)
    kind.make(folder)
    capsys.readouterr()

    code = main(["ingest", str(folder), "--store", str(store)])

    out, err = capsys.readouterr()
    expected = _expected(folder, kind)
    _check_lines(expected, out, err)
    assert code == (1 if any(s == "failed" for s, _ in expected.values()) else 0)
    assert _summary_counts(out) == _counts(expected)
    _check_store(before, _state(store), expected)


@pytest.mark.slow
def test_all_kinds_at_once_in_a_process_of_its_own(tmp_path):
    """The user's view: one `clerk ingest` of the whole tree, every kind poisoned among good records."""
    records, store = tmp_path / "records", tmp_path / "store"
    _lay_out(records, KINDS)
    assert not _open(store).ingest([records]).failed
    before = _state(store)
    for kind in KINDS:
        kind.make(records / kind.name)
    env = {k: v for k, v in os.environ.items() if not k.startswith("CLERK_")}

    run = subprocess.run([sys.executable, HELPER, "clerk", "ingest", str(records), "--store", str(store)],
                         env={**env, "PYTHONPATH": str(ROOT)}, cwd=ROOT, capture_output=True, text=True, timeout=600)

    expected = {source: outcome for kind in KINDS for source, outcome in _expected(records / kind.name, kind).items()}
    _check_lines(expected, run.stdout, run.stderr)
    assert run.returncode == 1
    assert _summary_counts(run.stdout) == _counts(expected)
    _check_store(before, _state(store), expected)


GOOD_UPLOAD = MINUTES.replace("bench", "noticeboard").encode()


@pytest.fixture(scope="module")
def uploaded(tmp_path_factory):
    """A store holding one good upload, board.md, under small limits: 1 MB a file, 2 MB a zip, 5 files."""
    store = tmp_path_factory.mktemp("uploads") / "store"
    assistant = _open(store, upload_max_mb=1, upload_zip_max_mb=2, upload_zip_max_files=5)
    assert [r.status for r in ingest_uploads(assistant, [("board.md", GOOD_UPLOAD)])] == ["added"]
    return assistant


@pytest.mark.parametrize("name, data, reason", [k[1:] for k in UPLOAD_KINDS], ids=[k[0] for k in UPLOAD_KINDS])
def test_each_bad_upload_is_refused_in_one_line_and_the_good_one_stays(name, data, reason, uploaded):
    folder = uploads_folder(uploaded)
    board = str(folder / "board.md")
    before, files_before, lines_before = _state(uploaded.settings.store)[board], set(folder.iterdir()), \
        len(history(folder))

    results = ingest_uploads(uploaded, [(name, data)])

    refused = [r for r in results if r.status == "failed"]
    assert refused and all("\n" not in r.message for r in refused)
    assert any(r.message.startswith(reason) for r in refused), [r.message for r in refused]
    assert (folder / "board.md").read_bytes() == GOOD_UPLOAD  # its download still serves the good file
    assert _state(uploaded.settings.store)[board] == before
    # Nothing left behind of a refused file, nothing written outside the folder: only files ingested are new.
    assert set(folder.iterdir()) - files_before == {Path(r.source) for r in results if r.status != "failed"}
    assert len(history(folder)) == lines_before + len(results)


def test_a_fifo_or_a_device_named_on_the_command_line_is_refused_in_one_line(tmp_path, fake_model, capsys):
    os.mkfifo(tmp_path / "pipe.txt")
    (tmp_path / "zero.txt").symlink_to("/dev/zero")
    assert main(["ingest", str(tmp_path / "pipe.txt"), str(tmp_path / "zero.txt"), "--store", str(tmp_path / "s")]) == 1
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {tmp_path / name}: not a regular file (a pipe, a device or a socket)"
                      for name in ("pipe.txt", "zero.txt")]
