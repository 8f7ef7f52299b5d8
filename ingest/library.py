"""A store: the Chroma passages, the manifest of ingested files and the lexical index, kept in step.

Embedded (the default), all on disk: STORE/chroma, STORE/manifest.json, STORE/lexical.
With a Chroma server (`chroma_url`), what instances must agree on lives in the server: the passages
and the manifest (collection clerk_manifest). The BM25 index is each instance's own cache, rebuilt
from the server's passages whenever the shared revision moves: STORE/servers/HOST_PORT/lexical.
"""
from __future__ import annotations

import re
import threading
from pathlib import Path
from urllib.parse import urlparse

from .filters import facets_of
from .lexical import LexicalIndex, Passages, boilerplate_key
from .manifest import Manifest
from .store import Store


def _server_folder(url: str) -> str:
    """A folder name per server, so one --store folder can cache indexes for several servers."""
    parsed = urlparse(url)
    return re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parsed.hostname}_{parsed.port or 8000}{parsed.path}").strip("_")


# App sessions are threads sharing a Library: two rebuilding the index at once would write the same
# folder. One lock for the process, because a second Library over the same store may exist.
_lexical_lock = threading.RLock()


class Library:
    def __init__(self, root: Path, *, model_name: str, dimension: int, chroma_url: str | None = None):
        self.root = Path(root)
        self.chroma_url = chroma_url
        self._store_args = (self.root / "chroma", model_name, dimension, chroma_url)
        self._store: Store | None = None
        if chroma_url:
            self.manifest = Manifest.open_shared(self.store.shared_manifest())
        else:
            self.manifest = Manifest.load(self.root / "manifest.json")
        self._lexical: LexicalIndex | None = None

    @property
    def store(self) -> Store:
        """Chroma, opened at first use: importing it alone takes 1-3 s, and `clerk stats` needs none of it."""
        with _lexical_lock:
            if self._store is None:
                path, model_name, dimension, url = self._store_args
                self._store = Store(path, model_name=model_name, dimension=dimension, url=url)
            return self._store

    def current_lexical(self) -> LexicalIndex:
        """The BM25 index as saved, without opening Chroma, when it reflects the manifest's revision (what
        an ingest leaves); otherwise brought up to date as `lexical` does."""
        with _lexical_lock:
            if self._lexical is None and not self.chroma_url:
                loaded = LexicalIndex.load(self.lexical_dir)
                if loaded is not None and loaded.revision == self.manifest.revision:
                    return loaded
            return self.lexical()

    @property
    def lexical_dir(self) -> Path:
        if self.chroma_url:
            return self.root / "servers" / _server_folder(self.chroma_url) / "lexical"
        return self.root / "lexical"

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the current manifest revision, loading or rebuilding it as needed."""
        with _lexical_lock:
            if self._lexical is None or self._lexical.revision != self.manifest.revision:
                loaded = LexicalIndex.load(self.lexical_dir)
                if loaded is None or loaded.revision != self.manifest.revision or len(loaded.ids) != self.store.count():
                    loaded = self.rebuild_lexical(loaded)
                self._lexical = loaded
            return self._lexical

    def rebuild_lexical(self, previous: LexicalIndex | None = None) -> LexicalIndex:
        """Bring the BM25 index up to the store, reading only passages of documents that changed."""
        # Stamped with the revision read before the passages. With a server, another instance may be
        # storing passages meanwhile; it moves the revision only after they are stored, so an index
        # read in the middle of that is rebuilt at the next question, never kept.
        with _lexical_lock:
            revision = self.manifest.revision
            doc_hashes = {entry.doc_id: entry.sha256 for entry in self.manifest.documents.values()}
            previous = previous or self._lexical or LexicalIndex.load(self.lexical_dir)
            stored = self.store.ids()
            reuse = previous.corpus.reusable(previous.ids, set(stored), doc_hashes) \
                if previous is not None and previous.corpus is not None else []
            kept = {previous.ids[i] for i in reuse}
            chunks = self.store.get([chunk_id for chunk_id in stored if chunk_id not in kept])
            new = Passages([c.chunk_id for c in chunks], [c.doc_id for c in chunks], [c.indexed_text() for c in chunks],
                           [boilerplate_key(c.text) for c in chunks], [facets_of(c) for c in chunks])
            index = LexicalIndex.build(new, revision, doc_hashes, previous, reuse)
            index.save(self.lexical_dir)
            self._lexical = index
            return index

    def councils(self) -> set[str]:
        """The councils the stored records name."""
        return {entry.meta.get("council") for entry in self.manifest.documents.values()} - {None}

    def reload_manifest(self) -> None:
        """Pick up an ingest done by another process (the CLI while the app runs) or, with a
        Chroma server, by another instance."""
        self.manifest = self.manifest.reload()
