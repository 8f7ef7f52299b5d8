"""Shared fixtures: the real packaged model (loaded once), a fake one, real Chroma stores on disk."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings
from fake_model import FakeModel  # noqa: F401  (tests import it from here)

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"
SHARED = ROOT.parent / "shared" / "corpus"
needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared/corpus is not beside the project")


@pytest.fixture(scope="session")
def embedder():
    from ingest.embed import load_embedder

    return load_embedder()


@pytest.fixture
def make_assistant(tmp_path, embedder):
    def make(store: Path | None = None, **overrides) -> Assistant:
        settings = Settings(store=store or tmp_path / "store", **overrides)
        return Assistant.open(settings, embedder=embedder)

    return make


@pytest.fixture(scope="session")
def demo_store(tmp_path_factory, embedder) -> Path:
    """The demo corpus ingested once for the tests that only read it."""
    store = tmp_path_factory.mktemp("demo") / "store"
    report = Assistant.open(Settings(store=store), embedder=embedder).ingest([CORPUS])
    assert not report.failed, [o.line() for o in report.failed]
    return store


@pytest.fixture(scope="session")
def seeds_assistant(tmp_path_factory, embedder) -> Assistant:
    if not SHARED.is_dir():
        pytest.skip("../shared/corpus is not beside the project")
    store = tmp_path_factory.mktemp("seeds") / "store"
    assistant = Assistant.open(Settings(store=store), embedder=embedder)
    report = assistant.ingest([SHARED / "seeds"])
    assert report.count("added") == 5
    return assistant


def _must_not_load():
    raise AssertionError("the embedding model was loaded")


@pytest.fixture
def unloadable(monkeypatch):
    """The configured embedder as the CLI would open it (name and length of the real model), whose
    model fails the test if anything loads it."""
    from ingest.embed import DEFAULT_MODEL, Embedder

    embedder = Embedder(DEFAULT_MODEL, 384, _must_not_load)
    monkeypatch.setattr("assistant.service.load_embedder", lambda *_: embedder)
    return embedder


@pytest.fixture
def fake_model(monkeypatch):
    """The CLI's embedder, under the real model's name, with instant hash vectors: where what is stored and
    printed is the point, not what ranks first."""
    from ingest.embed import DEFAULT_MODEL, Embedder

    embedder = Embedder(DEFAULT_MODEL, 384, FakeModel)
    monkeypatch.setattr("assistant.service.load_embedder", lambda *_: embedder)
    return embedder


@pytest.fixture(scope="session")
def fake_store(tmp_path_factory) -> Path:
    """The demo corpus ingested with `FakeModel`, under the real model's name: for commands that must
    never need the model. Read only."""
    from ingest.embed import DEFAULT_MODEL, Embedder

    store = tmp_path_factory.mktemp("fake") / "store"
    report = Assistant.open(Settings(store=store), Embedder(DEFAULT_MODEL, 384, FakeModel)).ingest([CORPUS])
    assert not report.failed, [o.line() for o in report.failed]
    return store
