"""Server mode: Clerk against a real `chroma run` on 127.0.0.1, held to the embedded store's results.

The seeds are ingested once through the server; the embedded side is the session's `seeds_assistant`.
"""
from __future__ import annotations

import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest

from assistant.evaluate import load_questions
from assistant.service import Assistant, standalone_query
from assistant.settings import Settings
from conftest import SHARED, needs_shared
from ingest.store import Store

pytestmark = needs_shared

QUESTIONS = load_questions(SHARED / "questions.jsonl") if SHARED.is_dir() else []
CHROMA = Path(sys.executable).parent / "chroma"


class Interrupted(BaseException):
    """A kill, which no handler sees: an Exception would be one file's failure, and the run would go on."""


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _wait_until_up(port: int, proc: subprocess.Popen, timeout: float = 90) -> None:
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"chroma run exited with status {proc.returncode}")
        try:
            chromadb.HttpClient(host="127.0.0.1", port=port,
                                settings=ChromaSettings(anonymized_telemetry=False)).heartbeat()
            return
        except Exception:  # not listening yet
            time.sleep(0.2)
    raise TimeoutError(f"chroma run did not answer on port {port} within {timeout:.0f} s")


def _start_server(folder: Path, request) -> str:
    """A `chroma run` over `folder`, stopped by its process id when the requesting scope ends."""
    chroma = CHROMA if CHROMA.exists() else shutil.which("chroma")
    if not chroma:
        pytest.skip("the chroma command is not installed")
    port = _free_port()
    log = open(folder.parent / f"{folder.name}.log", "wb")
    proc = subprocess.Popen([str(chroma), "run", "--path", str(folder), "--host", "127.0.0.1", "--port", str(port)],
                            stdout=log, stderr=subprocess.STDOUT)

    def stop() -> None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        log.close()

    request.addfinalizer(stop)
    _wait_until_up(port, proc)
    return f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def chroma_url(tmp_path_factory, request) -> str:
    return _start_server(tmp_path_factory.mktemp("chroma-server") / "data", request)


@pytest.fixture(scope="module")
def server_assistant(chroma_url, tmp_path_factory, embedder) -> Assistant:
    settings = Settings(store=tmp_path_factory.mktemp("instance-a") / "store", chroma_url=chroma_url)
    assistant = Assistant.open(settings, embedder=embedder)
    report = assistant.ingest([SHARED / "seeds"])
    assert report.count("added") == 5, [o.line() for o in report.outcomes]
    return assistant


def _top5(assistant: Assistant, question) -> list[tuple[str, float]]:
    hits = assistant.retriever.search(standalone_query(question.question, question.history), 5)
    return [(h.chunk.chunk_id, round(h.score, 6)) for h in hits]


@pytest.mark.parametrize("question", QUESTIONS, ids=lambda q: q.id)
def test_top_five_equal_the_embedded_stores(server_assistant, seeds_assistant, question):
    assert _top5(server_assistant, question) == _top5(seeds_assistant, question)


def test_answers_equal_the_embedded_stores(server_assistant, seeds_assistant):
    # Equal hits make equal answers; two questions (one the records do not answer) check the path.
    for question in [next(q for q in QUESTIONS if q.answerable), next(q for q in QUESTIONS if not q.answerable)]:
        served = server_assistant.ask(question.question, history=question.history, k=5)
        local = seeds_assistant.ask(question.question, history=question.history, k=5)
        assert served.text == local.text, question.id
        assert [c.chunk_id for c in served.citations] == [c.chunk_id for c in local.citations], question.id


def test_the_server_holds_the_same_passages_and_manifest(server_assistant, seeds_assistant):
    served, local = server_assistant.library, seeds_assistant.library
    assert sorted(c.chunk_id for c in served.store.iter_chunks()) == sorted(c.chunk_id for c in local.store.iter_chunks())
    assert served.manifest.documents == local.manifest.documents
    # Nothing shared is kept in the instance's folder: only its BM25 cache.
    assert not (server_assistant.settings.store / "manifest.json").exists()
    assert not (server_assistant.settings.store / "chroma").exists()
    assert served.lexical_dir.is_relative_to(server_assistant.settings.store)
    assert (served.lexical_dir / "ids.json").exists()


def test_reingest_adds_nothing(server_assistant):
    library = server_assistant.library
    count, revision = library.store.count(), library.manifest.revision
    again = server_assistant.ingest([SHARED / "seeds"])
    assert again.count("unchanged") == 5 and again.chunks_embedded == 0
    assert library.store.count() == count and library.manifest.revision == revision


def test_a_second_instance_shares_the_manifest_and_builds_its_own_lexical_index(
        server_assistant, chroma_url, tmp_path, embedder):
    other = Assistant.open(Settings(store=tmp_path / "instance-b", chroma_url=chroma_url), embedder=embedder)
    assert other.library.manifest.documents == server_assistant.library.manifest.documents
    assert other.library.manifest.revision == server_assistant.library.manifest.revision
    report = other.ingest([SHARED / "seeds"])
    assert report.count("unchanged") == 5 and report.chunks_embedded == 0
    assert other.library.lexical().ids and other.library.lexical_dir != server_assistant.library.lexical_dir
    question = QUESTIONS[0]
    assert _top5(other, question) == _top5(server_assistant, question)


def test_an_interrupted_ingest_claims_nothing_unstored_and_other_instances_follow_the_rerun(
        tmp_path_factory, tmp_path, embedder, request, monkeypatch):
    # Its own server: this test changes what is stored.
    url = _start_server(tmp_path_factory.mktemp("chroma-interrupted") / "data", request)
    writer = Assistant.open(Settings(store=tmp_path / "writer", chroma_url=url), embedder=embedder)
    reader = Assistant.open(Settings(store=tmp_path / "reader", chroma_url=url), embedder=embedder)
    assert reader.ask("What was decided?").abstained  # nothing stored yet

    # Stop the ingest just after the third document's passages are stored, before the manifest
    # names them, as a kill at that moment would.
    real_add, calls = Store.add, []

    def add_then_stop(self, chunks, vectors):
        real_add(self, chunks, vectors)
        calls.append(len(chunks))
        if len(calls) == 3:
            raise Interrupted

    monkeypatch.setattr(Store, "add", add_then_stop)
    monkeypatch.setattr("ingest.pipeline.EMBED_BATCH", 1)  # a batch, and a manifest write, per document
    with pytest.raises(Interrupted):
        writer.ingest([SHARED / "seeds"])
    monkeypatch.setattr(Store, "add", real_add)

    # What the next run reads, on any machine: every document it claims is wholly stored.
    fresh = Assistant.open(Settings(store=tmp_path / "fresh", chroma_url=url), embedder=embedder)
    stored: dict[str, int] = {}
    for chunk in fresh.library.store.iter_chunks():
        stored[chunk.doc_id] = stored.get(chunk.doc_id, 0) + 1
    claimed = {entry.doc_id for entry in fresh.library.manifest.documents.values()}
    assert len(claimed) == 2 and len(set(stored) - claimed) == 1  # the third is stored but not claimed
    for entry in fresh.library.manifest.documents.values():
        assert stored.get(entry.doc_id) == entry.chunks

    reader.ask("What was decided?")
    assert reader.library.manifest.documents == fresh.library.manifest.documents
    before = reader.library.manifest.revision

    report = fresh.ingest([SHARED / "seeds"])
    assert report.count("added") == 5 - len(claimed) and report.count("unchanged") == len(claimed)
    assert len(fresh.library.manifest.documents) == 5
    ids = [c.chunk_id for c in fresh.library.store.iter_chunks()]
    assert len(ids) == len(set(ids)) == sum(e.chunks for e in fresh.library.manifest.documents.values())

    # The other instance picks the rerun up at its next question, BM25 cache included.
    reader.ask("What was decided?")
    assert reader.library.manifest.revision != before
    assert reader.library.manifest.documents == fresh.library.manifest.documents
    assert sorted(reader.library.lexical().ids) == sorted(ids)
