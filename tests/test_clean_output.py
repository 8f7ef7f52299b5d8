"""Control characters in records, file names, sidecars and questions never reach the terminal raw: plain
output shows them as escapes ("\\u001b"), and --json output stays valid JSON that reads back the original."""
import json
import re

import pytest

from assistant.cli import main

# What a terminal would act on: C0 but newline and tab, DEL, C1, and the bidirectional overrides.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
QUESTION = "What did the council buy \x1b[31m\x9b2J?"
COUNCIL = "Evil\x1b[2J Parish Council"


@pytest.fixture
def hostile_store(tmp_path, fake_model, capsys):
    """A store of one record whose name, text and sidecar hold control characters."""
    records = tmp_path / "records"
    records.mkdir()
    record = records / "minutes\x1b[31m.md"
    record.write_text("Minutes of the meeting held on 4 March 2024.\n\nRESOLVED: That the council buy a new "
                      "bench \x9b2J for the green \u202eedoc\u202c at a cost of £450.\n", encoding="utf-8")
    (records / "minutes\x1b[31m.md.meta.json").write_text(json.dumps({"council": COUNCIL, "committee": "Full\x9b Council"}),
                                                        encoding="utf-8")
    store = tmp_path / "store"
    assert main(["ingest", str(records), "--store", str(store)]) == 0
    _assert_clean(capsys)
    return store


def _assert_clean(capsys) -> str:
    out, err = capsys.readouterr()
    err = err.replace("\r", "")  # the progress bars' own carriage returns
    assert not RAW_CONTROL.search(out) and not RAW_CONTROL.search(err), (out, err)
    return out


@pytest.mark.parametrize("argv", [["ask", QUESTION], ["decisions", "--topic", QUESTION, "--all"], ["stats"]])
def test_plain_output_shows_control_characters_as_escapes(hostile_store, capsys, argv):
    assert main([*argv, "--store", str(hostile_store)]) == 0
    out = _assert_clean(capsys)
    assert "Evil\\u001b[2J Parish Council" in out


def _strings(data):
    """Every string in a JSON value, keys included."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield key
            yield from _strings(value)
    elif isinstance(data, list):
        for value in data:
            yield from _strings(value)


@pytest.mark.parametrize("argv", [["ask", QUESTION], ["decisions", "--topic", QUESTION, "--all"], ["stats"]])
def test_json_output_escapes_them_and_reads_back_the_original(hostile_store, capsys, argv):
    assert main([*argv, "--json", "--store", str(hostile_store)]) == 0
    data = json.loads(_assert_clean(capsys))
    strings = set(_strings(data))
    assert COUNCIL in strings and "Full\x9b Council" in strings  # C1 too, which json.dumps leaves raw
    if argv[0] == "ask":
        assert data["question"] == QUESTION
        assert any("\u202eedoc" in c["text"] for c in data["citations"])


def test_a_file_name_with_an_escape_is_shown_escaped_in_its_error(tmp_path, fake_model, capsys):
    (tmp_path / "evil\x1b[2J.pdf").write_bytes(b"not a PDF")
    assert main(["ingest", str(tmp_path / "evil\x1b[2J.pdf"), "--store", str(tmp_path / "store")]) == 1
    out, err = capsys.readouterr()
    assert "error: " in err and "evil\\u001b[2J.pdf: not a PDF" in err and "\x1b" not in err + out


def test_a_history_file_holding_nul_bytes_is_refused_in_one_line(fake_store, unloadable, capsys, tmp_path):
    history = tmp_path / "history.txt"
    history.write_bytes(b"What was decided?\n\x00\x00\x00\n")
    assert main(["ask", "And when?", "--history", str(history), "--store", str(fake_store)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: --history {history}: holds NUL bytes, so it is not a text file of questions\n"
