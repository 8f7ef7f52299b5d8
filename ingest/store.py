"""The passage store (Chroma). chromadb is imported here and nowhere else, and Chroma's
column-shaped results become `Hit`s here and nowhere else."""
from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Iterator, Sequence

import numpy as np

from .errors import StoreMismatchError
from .records import Chunk, Decision, Hit, RecordMeta

COLLECTION = "clerk_passages"
MANIFEST_COLLECTION = "clerk_manifest"  # server mode only: see SharedManifestRecords
_ADD_BATCH = 4000  # Chroma refuses add batches above 5,461
_GET_BATCH = 2000
_META_FIELDS = tuple(RecordMeta.__dataclass_fields__)
# Chroma's defaults lost true neighbours among many near-duplicates (recall@10 0.34 at 100k synthetic
# chunks, benchmarks/README.md); these are set when a store is created and kept by it. Chroma returns
# at most about ef_search neighbours (130 of 1,000 asked at 936k passages with 200), and a filtered
# search over-fetches: at 1,000, 3,000 came back in 17 ms, and 100 in 3 ms.
HNSW = {"space": "cosine", "ef_construction": 200, "ef_search": 1000, "max_neighbors": 32}


def _chunk_metadata(chunk: Chunk) -> dict:
    meta = {"doc_id": chunk.doc_id, "source": chunk.source, "page": chunk.page, "start": chunk.start,
            "end": chunk.end, "heading": chunk.heading, **chunk.meta.as_dict(), "date_int": chunk.meta.date_int,
            "role": "decision" if chunk.decision else "passage", "lead": chunk.lead}
    if chunk.decision:
        d = chunk.decision
        meta.update(decision_parts=json.dumps(d.parts, ensure_ascii=False), decision_effect=d.effect,
                    decision_actions=",".join(d.actions), decision_votes=d.votes, procedural=d.procedural)
    return {k: v for k, v in meta.items() if v is not None}  # Chroma stores no None values


def _chunk_from(chunk_id: str, text: str, meta: dict) -> Chunk:
    start, end = int(meta["start"]), int(meta["end"])
    decision = None
    if meta.get("role") == "decision":
        decision = Decision(start, end, text, tuple(json.loads(meta.get("decision_parts") or "[]")),
                            meta.get("decision_effect") or "resolved",
                            tuple(a for a in (meta.get("decision_actions") or "").split(",") if a),
                            meta.get("decision_votes"), bool(meta.get("procedural")))
    return Chunk(chunk_id=chunk_id, doc_id=meta["doc_id"], source=meta["source"], page=int(meta["page"]),
                 start=start, end=end, heading=meta.get("heading"), text=text,
                 meta=RecordMeta(**{f: meta.get(f) for f in _META_FIELDS}), decision=decision, lead=meta.get("lead"))


class Store:
    def __init__(self, path: Path | None = None, *, model_name: str, dimension: int, url: str | None = None):
        import chromadb
        from chromadb.config import Settings

        settings = Settings(anonymized_telemetry=False)
        if url:
            from urllib.parse import urlparse

            parsed = urlparse(url)
            self._client = chromadb.HttpClient(host=parsed.hostname, port=parsed.port or 8000,
                                               ssl=parsed.scheme == "https", settings=settings)
        else:
            if path is None:
                raise ValueError("a store path or a Chroma URL is needed")
            path.mkdir(parents=True, exist_ok=True)
            self._client = chromadb.PersistentClient(path=str(path), settings=settings)
        # embedding_function=None: Chroma's default would download an ONNX model at run time.
        self._col = self._client.get_or_create_collection(
            COLLECTION, embedding_function=None, configuration={"hnsw": HNSW},
            metadata={"embedding_model": model_name, "embedding_dimension": dimension})
        stored_model = (self._col.metadata or {}).get("embedding_model")
        stored_dim = (self._col.metadata or {}).get("embedding_dimension")
        if (stored_model, stored_dim) != (model_name, dimension):
            where = url or str(path)
            raise StoreMismatchError(
                f"the store at {where} was built with embedding model {stored_model} ({stored_dim}-d), "
                f"but this run uses {model_name} ({dimension}-d): set CLERK_EMBEDDING_MODEL={stored_model}, "
                f"or ingest into a new --store")

    def count(self) -> int:
        return self._col.count()

    def shared_manifest(self) -> "SharedManifestRecords":
        """The manifest's records in this Chroma server, for instances that share it (server mode)."""
        return SharedManifestRecords(self._client)

    def add(self, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        for i in range(0, len(chunks), _ADD_BATCH):
            batch = chunks[i:i + _ADD_BATCH]
            self._col.upsert(ids=[c.chunk_id for c in batch], embeddings=vectors[i:i + _ADD_BATCH],
                             documents=[c.text for c in batch], metadatas=[_chunk_metadata(c) for c in batch])

    def replace_document(self, doc_id: str, chunks: Sequence[Chunk], vectors: np.ndarray) -> None:
        """A document's new passages, then none of its old ones left: written before anything is
        deleted, so a write Chroma refuses (duplicate ids) leaves what was stored as it was."""
        old = self._col.get(where={"doc_id": doc_id}, include=[])["ids"]
        self.add(chunks, vectors)
        stale = sorted(set(old) - {c.chunk_id for c in chunks})
        for i in range(0, len(stale), _ADD_BATCH):
            self._col.delete(ids=stale[i:i + _ADD_BATCH])

    def delete_document(self, doc_id: str) -> None:
        self._col.delete(where={"doc_id": doc_id})

    def documents(self, doc_ids: Sequence[str]) -> list[Chunk]:
        """Every passage of these documents."""
        result = self._col.get(where={"doc_id": {"$in": list(doc_ids)}}, include=["documents", "metadatas"])
        return [_chunk_from(cid, text, meta)
                for cid, text, meta in zip(result["ids"], result["documents"], result["metadatas"])]

    def query(self, vector: np.ndarray, k: int, where: dict | None = None) -> list[Hit]:
        if k <= 0:  # a k above the count is fine: Chroma returns what there is
            return []
        result = self._col.query(query_embeddings=[vector], n_results=k, where=where or None,
                                 include=["documents", "metadatas", "distances"])
        return [Hit(_chunk_from(cid, text, meta), 1.0 - float(dist))  # cosine distance -> similarity
                for cid, text, meta, dist in zip(result["ids"][0], result["documents"][0],
                                                  result["metadatas"][0], result["distances"][0])]

    def nearest(self, vector: np.ndarray, k: int) -> list[tuple[str, float]]:
        """The ids of the `k` passages nearest `vector`, with their cosine similarity, and nothing else:
        at 936k passages asking for 1,000 took 10 ms, against 680 ms with their texts and metadata."""
        if k <= 0:
            return []
        result = self._col.query(query_embeddings=[vector], n_results=k, include=["distances"])
        return [(cid, 1.0 - float(dist)) for cid, dist in zip(result["ids"][0], result["distances"][0])]

    def ids(self) -> list[str]:
        """Every passage's id, and nothing else (0.25 s at 100k passages)."""
        return self._col.get(include=[])["ids"]

    def passages_by_document(self, page_size: int = 5000) -> dict[str, tuple[int, str]]:
        """Each stored document's passage count and source, by doc_id, from the passages themselves."""
        found: dict[str, tuple[int, str]] = {}
        offset = 0
        while True:
            result = self._col.get(include=["metadatas"], limit=page_size, offset=offset)
            if not result["ids"]:
                return found
            for meta in result["metadatas"]:
                count, _ = found.get(meta["doc_id"], (0, ""))
                found[meta["doc_id"]] = (count + 1, meta["source"])
            offset += len(result["ids"])

    def _get(self, ids: Sequence[str], include: list[str]) -> Iterator[dict]:
        """Chroma's `get` by ids, in batches a large store accepts."""
        for i in range(0, len(ids), _GET_BATCH):
            yield self._col.get(ids=list(ids[i:i + _GET_BATCH]), include=include)

    def get(self, ids: Sequence[str]) -> list[Chunk]:
        by_id = {}
        for result in self._get(ids, ["documents", "metadatas"]):
            by_id.update({cid: _chunk_from(cid, text, meta)
                          for cid, text, meta in zip(result["ids"], result["documents"], result["metadatas"])})
        return [by_id[i] for i in ids if i in by_id]

    def vectors(self, ids: Sequence[str]) -> np.ndarray:
        by_id = {}
        for result in self._get(ids, ["embeddings"]):
            by_id.update(zip(result["ids"], result["embeddings"]))
        return np.asarray([by_id[i] for i in ids], dtype=np.float32).reshape(len(ids), -1)

    def iter_chunks(self, page_size: int = 2000) -> Iterator[Chunk]:
        offset = 0
        while True:
            result = self._col.get(include=["documents", "metadatas"], limit=page_size, offset=offset)
            if not result["ids"]:
                return
            for cid, text, meta in zip(result["ids"], result["documents"], result["metadatas"]):
                yield _chunk_from(cid, text, meta)
            offset += len(result["ids"])


_REVISION_ID = "~revision"  # no source (an absolute path) looks like this
_PAGE = 2000


def _dummy_vector(record_id: str) -> list[float]:
    # Chroma insists on an embedding per record. One number, and a different one per record,
    # because an HNSW graph of thousands of identical points is slow to build.
    return [int(hashlib.sha1(record_id.encode("utf-8")).hexdigest()[:8], 16) / 2 ** 32]


class SharedManifestRecords:
    """The manifest kept in the Chroma server, so that every instance sharing the server agrees
    on what is ingested. One record per source whose metadata holds its entry as JSON ("" once
    removed: a tombstone, so a removal is an upsert like any other change), and one record
    holding the revision. Chroma writes the records of one request with a single SQLite INSERT,
    so entries and the revision that covers them appear together or not at all."""

    def __init__(self, client):
        self._col = client.get_or_create_collection(
            MANIFEST_COLLECTION, embedding_function=None,
            metadata={"about": "Clerk: files ingested into clerk_passages, by content hash"})

    def read_revision(self) -> int:
        got = self._col.get(ids=[_REVISION_ID], include=["metadatas"])
        return int(got["metadatas"][0]["revision"]) if got["ids"] else 0

    def read_entries(self) -> dict[str, dict]:
        entries: dict[str, dict] = {}
        offset = 0
        while True:
            got = self._col.get(include=["metadatas"], limit=_PAGE, offset=offset)
            if not got["ids"]:
                return entries
            for record_id, meta in zip(got["ids"], got["metadatas"]):
                if record_id != _REVISION_ID and (meta or {}).get("entry"):
                    entries[record_id] = json.loads(meta["entry"])
            offset += len(got["ids"])

    def write(self, changes: dict[str, dict | None], revision: int) -> None:
        """Store changed entries (None: removed) and the new revision. One request up to
        _ADD_BATCH records (an ingest batch is far smaller); beyond that the revision goes last."""
        ids = [*changes, _REVISION_ID]
        metadatas = [{"entry": json.dumps(entry, ensure_ascii=False) if entry else ""} for entry in changes.values()]
        metadatas.append({"revision": revision})
        for i in range(0, len(ids), _ADD_BATCH):
            batch = ids[i:i + _ADD_BATCH]
            self._col.upsert(ids=batch, embeddings=[_dummy_vector(r) for r in batch],
                             metadatas=metadatas[i:i + _ADD_BATCH])
