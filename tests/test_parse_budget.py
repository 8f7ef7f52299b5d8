"""A per-file budget: a file whose reading takes longer than CLERK_PARSE_SECONDS fails in one line naming it,
the files beside it are ingested, and what was stored of it before stays. The slow file is made slow by a
parser that waits ten minutes, against a budget of one second: no race decides the outcome."""
import time

import pytest
from hostile import MINUTES

from assistant.cli import main
from assistant.service import Assistant
from assistant.settings import Settings
from ingest.budget import ParseBudget, ParseTimeout
from ingest.errors import ParseError
from ingest.readers import PARSERS

TIMEOUT_LINE = "took longer than 1 s to read (CLERK_PARSE_SECONDS): stopped"


@pytest.fixture
def slow_text(monkeypatch):
    """.txt files that begin "SLOW" take ten minutes to parse; the others are read as ever."""
    parse_text = PARSERS[".txt"]

    def parse(data: bytes):
        if data.startswith(b"SLOW"):
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                time.sleep(0.05)
        return parse_text(data)

    monkeypatch.setitem(PARSERS, ".txt", parse)


@pytest.fixture
def records(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a_good.md").write_text(MINUTES, encoding="utf-8")
    (folder / "b_slow.txt").write_text(MINUTES.replace("bench", "gate"), encoding="utf-8")
    (folder / "c_good.txt").write_text(MINUTES.replace("bench", "swing"), encoding="utf-8")
    return folder


def _passages(assistant, source):
    entry = assistant.library.manifest.documents.get(str(source.resolve()))
    return entry, sorted((c.chunk_id, c.text) for c in assistant.library.store.iter_chunks()
                         if entry and c.doc_id == entry.doc_id)


def test_a_file_over_the_budget_fails_alone_and_keeps_what_was_stored(tmp_path, records, fake_model, slow_text):
    assistant = Assistant.open(Settings(store=tmp_path / "store", parse_seconds=1), fake_model)
    first = assistant.ingest([records])
    assert first.count("added") == 3 and not first.failed
    before = _passages(assistant, records / "b_slow.txt")
    assert before[1]

    (records / "b_slow.txt").write_text("SLOW " + MINUTES.replace("bench", "stile"), encoding="utf-8")
    (records / "d_late.txt").write_text(MINUTES.replace("bench", "hedge"), encoding="utf-8")  # read after it
    started = time.monotonic()
    report = assistant.ingest([records])
    assert time.monotonic() - started < 300, "the slow parser was not stopped"

    outcomes = {o.source.rsplit("/", 1)[-1]: o for o in report.outcomes}
    slow = outcomes["b_slow.txt"]
    assert slow.status == "failed" and slow.message == TIMEOUT_LINE
    assert slow.line() == f"failed: {(records / 'b_slow.txt').resolve()}: {TIMEOUT_LINE}"
    assert outcomes["d_late.txt"].status == "added" and outcomes["d_late.txt"].chunks > 0
    assert {outcomes[n].status for n in ("a_good.md", "c_good.txt")} == {"unchanged"}
    assert _passages(assistant, records / "b_slow.txt") == before  # nothing stored of it is lost
    assert any("hedge" in text for _, text in _passages(assistant, records / "d_late.txt")[1])


def test_the_cli_names_the_slow_file_in_one_line(tmp_path, records, fake_model, slow_text, monkeypatch, capsys):
    (records / "b_slow.txt").write_text("SLOW " + MINUTES, encoding="utf-8")
    monkeypatch.setenv("CLERK_PARSE_SECONDS", "1")
    assert main(["ingest", str(records), "--store", str(tmp_path / "store")]) == 1
    err = capsys.readouterr().err
    errors = [line for line in err.splitlines() if line.startswith("error: ")]
    assert errors == [f"error: {(records / 'b_slow.txt').resolve()}: {TIMEOUT_LINE}"]
    assert "Traceback" not in err


def _fails(data: bytes):
    raise ValueError(f"bad record of {len(data)} bytes\nsecond line")


def _sleeps(seconds: float):
    time.sleep(seconds)
    return "done"


def test_the_worker_returns_results_and_failures_in_one_line_and_starts_again_after_a_kill():
    with ParseBudget(1) as budget:
        assert budget.run(len, b"four") == 4
        with pytest.raises(ParseError, match=r"^cannot be ingested \(ValueError: bad record of 3 bytes second line\)$"):
            budget.run(_fails, b"abc")
        with pytest.raises(ParseTimeout):
            budget.run(_sleeps, 600)
        assert budget.run(_sleeps, 0) == "done"  # a new worker


def test_no_budget_reads_in_this_process():
    budget = ParseBudget(0)
    assert budget.run(_sleeps, 0) == "done" and budget._process is None
    assert Settings.from_env({"CLERK_PARSE_SECONDS": "0"}).parse_seconds == 0
    assert Settings().parse_seconds == 60
