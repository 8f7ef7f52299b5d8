"""The CLI's conventions: --version, short forms, help for every option, stats --json, one CSV guard."""
import argparse
import csv
import io
import json

import pytest

from assistant.cli import build_parser, main
from assistant.library_view import csv_text
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder


def _options(parser, name="clerk"):
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for command, sub in action.choices.items():
                yield from _options(sub, f"{name} {command}")
        elif action.dest != "help":
            yield name, action


def test_every_option_has_help_and_the_version_is_printed(capsys):
    assert [(name, a.option_strings or a.dest) for name, a in _options(build_parser()) if not a.help] == []
    with pytest.raises(SystemExit) as done:
        main(["--version"])
    assert done.value.code == 0 and capsys.readouterr().out.startswith("clerk ")


def test_short_forms_and_one_default_k():
    parser = build_parser()
    ask = parser.parse_args(["ask", "q", "-k", "3", "-s", "store"])
    assert (ask.k, ask.store) == (3, "store")
    assert parser.parse_args(["ask", "q"]).k is None  # Settings.k, 5, or $CLERK_K
    assert parser.parse_args(["eval", "q.jsonl"]).k == 10  # recall@10 and MRR@10 need ten
    assert parser.parse_args(["decisions", "-n", "7"]).limit == 7
    with pytest.raises(SystemExit):
        parser.parse_args(["ask", "q", "-k", "0"])


def test_stats_as_json_and_an_unknown_year(tmp_path, unloadable, capsys):
    records = tmp_path / "records"
    records.mkdir()
    (records / "notes.txt").write_text("Some notes with no council, committee or date in them at all.\n")
    store = tmp_path / "store"
    Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel)).ingest([records])
    assert main(["stats", "--json", "--store", str(store)]) == 0
    stats = json.loads(capsys.readouterr().out)
    assert (stats["store"], stats["documents"], stats["chunks"]) == (str(store), 1, 1)
    assert stats["by"]["documents"]["year"] == {"(unknown)": 1} == stats["by"]["chunks"]["council"]
    assert main(["stats", "--store", str(store)]) == 0
    out = capsys.readouterr().out
    assert "documents by year:\n       1  (unknown)\n" in out and "(unk\n" not in out


def test_csv_cells_that_would_run_as_formulas_are_kept_as_text():
    cells = ["=1+1", "+1", "-1", "@SUM(A1)", "\t=1", "\r=1", "Cabinet", 3]
    rows = list(csv.reader(io.StringIO(csv_text([dict(enumerate(cells))]), newline="")))
    assert rows[1] == ["'=1+1", "'+1", "'-1", "'@SUM(A1)", "'\t=1", "'\r=1", "Cabinet", "3"]


def test_decisions_csv_goes_through_the_guard(fake_store, unloadable, tmp_path, monkeypatch, capsys):
    seen = []
    monkeypatch.setattr("assistant.library_view.spreadsheet_safe", lambda v: seen.append(v) or v)
    out = tmp_path / "decisions.csv"
    assert main(["decisions", "--csv", str(out), "--store", str(fake_store)]) == 0
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert rows and set(rows[0]) >= {"date", "council", "decision", "source", "page"}
    assert len(seen) == 11 * len(rows)
