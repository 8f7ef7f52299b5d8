"""Errors in one line that name the file, the store or the filter, with exit status 2; and commands that
only read never make a store."""
import pytest

from assistant.cli import main


def _error(capsys) -> str:
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: ") and "\n" not in err, err
    return err


def test_a_missing_history_file_is_named(fake_store, unloadable, capsys, tmp_path):
    missing = tmp_path / "earlier-questions.json"
    assert main(["ask", "x", "--history", str(missing), "--store", str(fake_store)]) == 2
    assert _error(capsys) == f"error: --history {missing}: No such file or directory"


def test_a_council_no_record_names_is_not_silent_records(fake_store, unloadable, capsys):
    assert main(["ask", "What was decided?", "--council", "Narnia", "--store", str(fake_store)]) == 2
    err = _error(capsys)
    assert err.startswith(f'error: no council matches "Narnia" in {fake_store.resolve()} (councils there: ')
    assert "Little Ashby Parish Council" in err
    assert main(["decisions", "--committee", "Nowhere Panel", "--store", str(fake_store)]) == 2
    assert 'no committee matches "Nowhere Panel"' in _error(capsys)


@pytest.mark.parametrize("argv, message", [
    (["--kind", "minute"], "error: unknown document kind minute; choose from "),
    (["--since", "2024-06", "--until", "2024-01"], "error: --since 2024-06-01 is after --until 2024-01-31"),
    (["--since", "last week"], "error: --since 'last week' is not a date"),
])
def test_filter_errors(fake_store, unloadable, capsys, argv, message):
    assert main(["ask", "x", *argv, "--store", str(fake_store)]) == 2
    assert _error(capsys).startswith(message)


@pytest.mark.parametrize("argv", [["ask", "x"], ["stats"], ["decisions"], ["eval", "questions.jsonl"]])
def test_read_only_commands_never_make_a_store(tmp_path, monkeypatch, unloadable, capsys, argv):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("CLERK_STORE", raising=False)
    (tmp_path / "questions.jsonl").write_text('{"id": "q1", "question": "x"}\n')
    assert main(argv) == 2
    assert _error(capsys) == f"error: no store at {tmp_path / '.clerk'}; make one with: clerk ingest FOLDER --store .clerk"
    assert list(tmp_path.iterdir()) == [tmp_path / "questions.jsonl"]


def test_ingesting_a_path_that_is_not_there_says_so_in_one_line(tmp_path, unloadable, capsys):
    store = tmp_path / "store"
    assert main(["ingest", str(tmp_path / "nowhere"), "--store", str(store)]) == 2
    assert _error(capsys) == f"error: no such file or folder: {tmp_path / 'nowhere'}"
    assert not store.exists()


def test_an_empty_store_is_named(tmp_path, unloadable, capsys):
    (tmp_path / "empty").mkdir()
    store = tmp_path / "store"
    assert main(["ingest", str(tmp_path / "empty"), "--store", str(store)]) == 0
    capsys.readouterr()
    assert main(["ask", "x", "--store", str(store)]) == 2
    assert _error(capsys) == f"error: nothing has been ingested into {store} yet; add records with: clerk ingest FOLDER"


def test_a_missing_question_set_is_named(fake_store, unloadable, capsys, tmp_path):
    assert main(["eval", str(tmp_path / "q.jsonl"), "--store", str(fake_store)]) == 2
    assert _error(capsys) == f"error: {tmp_path / 'q.jsonl'}: No such file or directory"
