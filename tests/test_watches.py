"""Watches: what is new after an ingest, once, with a feed any reader can parse and an e-mail digest."""
import json
import shutil
import socket
import xml.etree.ElementTree as ET

import pytest

from assistant.cli import main
from assistant.tuning import TUNING
from assistant.watches import WatchFile, passage_key
from conftest import CORPUS

ATOM = "{http://www.w3.org/2005/Atom}"
PLAY = "little-ashby-pc_2024-03-04_minutes.md"
UNRELATED = "eastbridge_corporate-parenting-panel_2024-09-10_minutes.txt"


def folder(tmp_path, name, *files) -> str:
    path = tmp_path / name
    path.mkdir()
    for f in files:
        shutil.copy(CORPUS / f, path / f)
    return str(path)


def run(argv, capsys) -> tuple[int, str, str]:
    capsys.readouterr()
    code = main(argv)
    out = capsys.readouterr()
    return code, out.out, out.err


def watch_run(store, capsys, *names) -> dict:
    code, out, _ = run(["watch", "run", *names, "--json", "--store", store], capsys)
    assert code == 0
    return {w["name"]: w["new"] for w in json.loads(out)["watches"]}


@pytest.fixture
def watched(tmp_path, fake_model, capsys):
    """A store of Northmoor's records, watched for the play area (nothing of it there yet) and for care leavers'
    council tax (already there)."""
    store = str(tmp_path / "store")
    old = folder(tmp_path, "old", *sorted(p.name for p in CORPUS.glob("northmoor_*")))
    assert run(["ingest", old, "--store", store], capsys)[0] == 0
    code, out, _ = run(["watch", "add", "play", "play area", "--store", store], capsys)
    assert code == 0 and "play added: 0 passages in the store already match" in out
    code, out, _ = run(["watch", "add", "leavers", "council tax for care leavers", "--store", store], capsys)
    assert code == 0 and "0 passages" not in out  # Northmoor's Cabinet decided it: there, but not news
    return store


def test_a_watch_reports_exactly_the_new_relevant_passages_once(watched, tmp_path, capsys):
    store = watched
    assert watch_run(store, capsys) == {"play": [], "leavers": []}  # nothing has arrived

    # A record about something else: the play-area watch stays quiet.
    code, out, _ = run(["ingest", folder(tmp_path, "unrelated", UNRELATED), "--store", store], capsys)
    assert code == 0 and "watch play" not in out
    assert WatchFile.load(tmp_path / "store").watches["play"].matches == ()

    # The parish's minutes on the play area: reported by the ingest that brought them, best first.
    new = folder(tmp_path, "new", PLAY)
    code, out, _ = run(["ingest", new, "--store", store], capsys)
    assert code == 0
    state = WatchFile.load(tmp_path / "store")
    reported = state.watches["play"].matches
    assert f"watch play: {len(reported)} new passages" in out
    assert {m["source"] for m in reported} == {str((tmp_path / "new" / PLAY).resolve())}
    # The item on the play area and its decision, and no passage that says nothing of play.
    assert all("play" in m["text"].lower() for m in reported)
    assert any(m["supporting"] == "23/149 Church Meadow play area refurbishment." for m in reported)
    passages = _passages(store, reported[0]["chunk_id"])
    assert len(passages) > 10 > len(reported)
    assert all(m["relevance"] >= TUNING.watch_floor and m["supporting"] in m["text"] for m in reported)
    assert [m["relevance"] for m in reported] == sorted((m["relevance"] for m in reported), reverse=True)
    assert [m["n"] for m in reported] == list(range(1, len(reported) + 1))
    resolved = next(m for m in reported if m["text"].startswith("RESOLVED"))
    assert resolved["effect"] and "5 in favour" in resolved["votes"]  # a decision says what it did
    assert not any("play" in m["text"].lower() for m in state.watches["leavers"].matches)

    # Seen once: not again, by `watch run` or by an ingest with nothing new.
    assert watch_run(store, capsys) == {"play": [], "leavers": []}
    code, out, _ = run(["ingest", new, "--store", store], capsys)
    assert "watch play" not in out

    # The record changed where it says nothing of the play area: its passages read as before, so nothing is new.
    path = tmp_path / "new" / PLAY
    path.write_text(path.read_text(encoding="utf-8") + "\n\n23/160 Date of next meeting: 8th April 2024 at 7.30pm.\n",
                    encoding="utf-8")
    code, out, _ = run(["ingest", new, "--store", store], capsys)
    assert "1 updated" in out and "watch play" not in out

    # Changed where it does: only the passage whose text changed is new.
    path.write_text(path.read_text(encoding="utf-8").replace("15-year warranty", "20-year warranty"), encoding="utf-8")
    assert run(["ingest", new, "--store", store], capsys)[0] == 0
    state = WatchFile.load(tmp_path / "store")
    changed = state.watches["play"].matches[:len(state.watches["play"].matches) - len(reported)]
    assert changed and all("20-year warranty" in m["text"] for m in changed)
    assert len({m["key"] for m in state.watches["play"].matches}) == len(state.watches["play"].matches)


def _passages(store, chunk_id) -> list:
    """Every passage of the record `chunk_id` is in."""
    from types import SimpleNamespace

    from assistant.operations import Records

    library = Records(SimpleNamespace(store=store, chroma_url=None)).assistant().library
    return library.store.documents([library.store.get([chunk_id])[0].doc_id])


def test_the_feed_is_atom_with_one_entry_per_match_and_record_text_as_text(watched, tmp_path, capsys):
    store = watched
    record = tmp_path / "hostile" / "little-ashby-pc_2024-10-14_minutes.md"
    record.parent.mkdir()
    record.write_text("# Little Ashby Parish Council\n\nMinutes of the meeting held on 14th October 2024.\n\n"
                      "24/101 Play area. The play area <script>alert('x')</script> gate & fence were repaired "
                      "\x1b[31mfor £400 and the play area reopened.\n", encoding="utf-8")
    assert run(["ingest", folder(tmp_path, "new", PLAY), str(record.parent), "--store", store], capsys)[0] == 0
    watch = WatchFile.load(tmp_path / "store").watches["play"]
    raw = (tmp_path / "store" / "feeds" / "play.xml").read_bytes()
    assert b"<script>" not in raw and b"&lt;script&gt;" in raw and b"\x1b" not in raw

    feed = ET.fromstring(raw)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}id").startswith("urn:uuid:") and "play area" in feed.findtext(f"{ATOM}title")
    assert feed.find(f"{ATOM}author/{ATOM}name").text == "Clerk" and feed.findtext(f"{ATOM}updated")
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(watch.matches) > 1
    ids = [e.findtext(f"{ATOM}id") for e in entries]
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    for entry, match in zip(entries, watch.matches):
        assert entry.find(f"{ATOM}content").get("type") == "text"
        assert match["text"] in entry.findtext(f"{ATOM}content")
        assert entry.findtext(f"{ATOM}updated") == match["found"]
        assert entry.find(f"{ATOM}link").get("href").startswith("file:///")
    assert any("<script>alert('x')</script> gate & fence" in e.findtext(f"{ATOM}content") for e in entries)

    # Written again, the ids stay: a reader does not see old matches as new.
    assert watch_run(store, capsys) == {"play": [], "leavers": []}
    (tmp_path / "store" / "feeds" / "play.xml").unlink()
    watch_run(store, capsys)
    assert [e.findtext(f"{ATOM}id") for e in ET.parse(tmp_path / "store" / "feeds" / "play.xml").getroot()
            .findall(f"{ATOM}entry")] == ids


def test_characters_xml_cannot_carry_do_not_break_the_feed(tmp_path):
    from assistant.feeds import atom
    from assistant.watches import Watch

    match = {"n": 1, "source": "/records/x.txt", "page": 1, "chunk_id": "a:p1:0", "text": "Play\x00area\x0b\ud800 fixed",
             "score": 0.0, "council": "Oakley \x1b Town Council", "committee": None, "meeting_date": None, "item": None,
             "kind": None, "supporting": "Play\x00area", "cited": True, "relevance": 0.9,
             "found": "2024-05-01T10:00:00+00:00", "key": "k1", "effect": None, "votes": None}
    watch = Watch("w", "play area", {}, "2024-04-01T10:00:00+00:00", "8d2b8c59-6d0a-4d46-9f3e-2a3c6a5f7d21",
                  matches=(match,))
    entry = ET.fromstring(atom(watch, tmp_path / "w.xml")).find(f"{ATOM}entry")
    assert entry.findtext(f"{ATOM}content") == "Play\ufffdarea\ufffd\ufffd fixed"
    assert entry.findtext(f"{ATOM}title").startswith("Oakley \ufffd Town Council")


def test_an_email_digest_reaches_an_smtp_server_on_127_0_0_1(watched, tmp_path, capsys, monkeypatch):
    from aiosmtpd.controller import Controller

    received = []

    class Inbox:
        async def handle_DATA(self, server, session, envelope):
            received.append(envelope)
            return "250 OK"

    with socket.socket() as probe:  # a free port: aiosmtpd's readiness check cannot use port 0
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    smtp = Controller(Inbox(), hostname="127.0.0.1", port=port)  # start() returns once it answers on the port
    smtp.start()
    try:
        monkeypatch.setenv("CLERK_SMTP_HOST", "127.0.0.1")
        monkeypatch.setenv("CLERK_SMTP_PORT", str(port))
        monkeypatch.setenv("CLERK_SMTP_FROM", "clerk@example.org")
        monkeypatch.setenv("CLERK_SMTP_TO", "clerk-readers@example.org, chair@example.org")
        code, out, err = run(["ingest", folder(tmp_path, "unrelated", UNRELATED), "--store", watched], capsys)
        sent_before = len(received)
        code, out, err = run(["ingest", folder(tmp_path, "new", PLAY), "--store", watched], capsys)
        assert code == 0 and "e-mailed the digest to clerk-readers@example.org, chair@example.org" in out, err
    finally:
        smtp.stop()
    assert len(received) == sent_before + 1
    envelope = received[-1]
    assert envelope.mail_from == "clerk@example.org"
    assert envelope.rcpt_tos == ["clerk-readers@example.org", "chair@example.org"]
    from email import message_from_bytes, policy

    mail = message_from_bytes(envelope.original_content, policy=policy.default)
    matches = WatchFile.load(tmp_path / "store").watches["play"].matches
    assert mail["Subject"].startswith("Clerk: ") and "play" in mail["Subject"]
    assert mail.get_content_type() == "text/plain"
    body = mail.get_content()
    assert "play: “play area”" in body and f"{len(matches)} new passages" in body
    assert matches[0]["supporting"] in body and "feeds/play.xml" in body


def test_a_decisions_only_watch_reports_decisions(watched, tmp_path, capsys):
    store = watched
    assert run(["watch", "add", "play-decisions", "play area", "--decisions-only", "--council", "Little Ashby",
                "--store", store], capsys)[0] == 0
    assert run(["ingest", folder(tmp_path, "new", PLAY), "--store", store], capsys)[0] == 0
    found = WatchFile.load(tmp_path / "store").watches["play-decisions"].matches
    assert found and all(m["effect"] and m["council"] == "Little Ashby Parish Council" for m in found)
    assert all(m["key"] == passage_key(m["source"], m["text"]) for m in found)


def test_list_rm_and_refusals_are_one_line(watched, tmp_path, capsys):
    store = watched
    code, out, _ = run(["watch", "list", "--json", "--store", store], capsys)
    listed = json.loads(out)["watches"]
    assert [w["name"] for w in listed] == ["leavers", "play"] and listed[1]["query"] == "play area"
    assert listed[1]["feed"].endswith("feeds/play.xml")
    for argv, reason in [
        (["watch", "add", "play", "swings"], "there is already a watch called play"),
        (["watch", "add", "../x", "swings"], "watch name '../x': use up to 64 letters"),
        (["watch", "add", "x", "   "], "the question is empty"),
        (["watch", "add", "x", "swings", "--since", "soon"], "--since 'soon' is not a date"),
        (["watch", "rm", "nope"], "no watch called 'nope'"),
        (["watch", "run", "nope"], "no watch called 'nope'"),
    ]:
        code, out, err = run([*argv, "--store", store], capsys)
        assert code == 2 and reason in err and err.count("\n") == 1, err
    assert run(["watch", "rm", "play", "--store", store], capsys)[0] == 0
    assert not (tmp_path / "store" / "feeds" / "play.xml").exists()
    assert list(WatchFile.load(tmp_path / "store").watches) == ["leavers"]
    missing = tmp_path / "nowhere"
    code, _, err = run(["watch", "list", "--store", str(missing)], capsys)
    assert code == 2 and "no store at" in err and not missing.exists()


def test_a_broken_watches_file_is_reported_and_kept(watched, tmp_path, capsys):
    path = tmp_path / "store" / "watches.json"
    path.write_text("{not json", encoding="utf-8")
    code, out, err = run(["ingest", folder(tmp_path, "new", PLAY), "--store", watched], capsys)
    assert code == 0 and "warning: watches not checked: " in err and str(path) in err  # the ingest itself went ahead
    assert path.read_text(encoding="utf-8") == "{not json"


def test_an_unchanged_reingest_with_watches_never_loads_the_model(watched, tmp_path, capsys, monkeypatch):
    from conftest import _must_not_load
    from ingest.embed import DEFAULT_MODEL, Embedder

    embedder = Embedder(DEFAULT_MODEL, 384, _must_not_load)
    monkeypatch.setattr("assistant.service.load_embedder", lambda *_: embedder)
    old = str(tmp_path / "old")
    code, out, _ = run(["ingest", old, "--store", watched], capsys)
    assert code == 0 and "0 chunks embedded" in out
    assert run(["watch", "run", "--store", watched], capsys)[0] == 0
    assert not embedder.loaded
