"""A store on disk: the Chroma passages, the manifest of ingested files and the lexical index,
kept in step. Layout: STORE/chroma, STORE/manifest.json, STORE/lexical."""
from __future__ import annotations

from pathlib import Path

from .lexical import LexicalIndex, boilerplate_ids
from .manifest import Manifest
from .store import Store


class Library:
    def __init__(self, root: Path, *, model_name: str, dimension: int, chroma_url: str | None = None):
        self.root = Path(root)
        self.store = Store(self.root / "chroma", model_name=model_name, dimension=dimension, url=chroma_url)
        self.manifest = Manifest.load(self.root / "manifest.json")
        self._lexical: LexicalIndex | None = None

    @property
    def lexical_dir(self) -> Path:
        return self.root / "lexical"

    def lexical(self) -> LexicalIndex:
        """The BM25 index for the current manifest revision, loading or rebuilding it as needed."""
        if self._lexical is None or self._lexical.revision != self.manifest.revision:
            loaded = LexicalIndex.load(self.lexical_dir)
            if loaded is None or loaded.revision != self.manifest.revision or len(loaded.ids) != self.store.count():
                loaded = self.rebuild_lexical()
            self._lexical = loaded
        return self._lexical

    def rebuild_lexical(self) -> LexicalIndex:
        chunks = list(self.store.iter_chunks())
        index = LexicalIndex.build([c.chunk_id for c in chunks], [c.indexed_text() for c in chunks],
                                   self.manifest.revision,
                                   boilerplate_ids([(c.chunk_id, c.doc_id, c.text) for c in chunks]))
        index.save(self.lexical_dir)
        self._lexical = index
        return index

    def reload_manifest(self) -> None:
        """Pick up an ingest done by another process (the CLI while the app runs)."""
        self.manifest = Manifest.load(self.manifest.path)
