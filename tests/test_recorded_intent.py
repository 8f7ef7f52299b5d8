"""An update or a prune records its intent in the manifest before it touches a document's passages:
a run killed between the two, followed by a revert or a restore of the file, ends in the store a
clean ingest makes, never in an "unchanged" file whose passages are wrong or gone."""
import pytest
from hostile import MINUTES

from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder
from ingest.store import Store


class Killed(BaseException):
    """A kill -9, which no handler sees."""


def _assistant(store):
    return Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel))


def _state(assistant):
    """Every passage (id, text) and every manifest entry's hash and passage count."""
    passages = sorted((c.chunk_id, c.text) for c in assistant.library.store.iter_chunks())
    entries = {s: (e.sha256, e.chunks) for s, e in assistant.library.manifest.documents.items()}
    return passages, entries


@pytest.fixture
def records(tmp_path):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "a.md").write_text(MINUTES + "\n\n" + MINUTES.replace("bench", "gate"), encoding="utf-8")
    (folder / "b.md").write_text(MINUTES.replace("bench", "bin"), encoding="utf-8")
    return folder


@pytest.fixture
def clean(tmp_path, records):
    """The store a clean ingest of the records makes."""
    assistant = _assistant(tmp_path / "clean")
    assistant.ingest([records])
    return _state(assistant)


def _kill_after(monkeypatch, method: str) -> None:
    """Store.`method` does its work, then the process dies before the manifest is written."""
    real = getattr(Store, method)

    def then_die(*args, **kwargs):
        real(*args, **kwargs)
        raise Killed

    monkeypatch.setattr(Store, method, then_die)


def test_an_update_killed_after_its_passages_were_replaced_is_redone_when_the_file_is_reverted(
        tmp_path, records, clean, monkeypatch):
    assistant = _assistant(tmp_path / "store")
    assistant.ingest([records])
    original = (records / "a.md").read_bytes()
    (records / "a.md").write_text(MINUTES.replace("bench", "kiosk"), encoding="utf-8")
    _kill_after(monkeypatch, "replace_document")
    with pytest.raises(Killed):
        assistant.ingest([records])
    monkeypatch.undo()
    (records / "a.md").write_bytes(original)

    rerun = _assistant(tmp_path / "store")
    report = rerun.ingest([records])

    assert report.count("updated") == 1 and report.count("unchanged") == 1
    assert _state(rerun) == clean


def test_a_prune_killed_after_the_passages_were_deleted_is_redone_when_the_file_is_restored(
        tmp_path, records, clean, monkeypatch):
    assistant = _assistant(tmp_path / "store")
    assistant.ingest([records])
    (records / "a.md").rename(tmp_path / "a.md")
    _kill_after(monkeypatch, "delete_document")
    with pytest.raises(Killed):
        assistant.ingest([records], prune=True)
    monkeypatch.undo()
    (tmp_path / "a.md").rename(records / "a.md")

    rerun = _assistant(tmp_path / "store")
    report = rerun.ingest([records], prune=True)

    assert report.count("updated") == 1 and report.count("unchanged") == 1
    assert _state(rerun) == clean
