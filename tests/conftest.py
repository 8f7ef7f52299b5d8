"""Shared fixtures: the real packaged model (loaded once), real Chroma stores on disk."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant.service import Assistant
from assistant.settings import Settings

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
