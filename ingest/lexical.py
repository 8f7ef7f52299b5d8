"""BM25 over the stored passages (bm25s), saved beside the Chroma store.

Exact terms that embeddings blur (minute numbers, "PLO", names) are found here. The index is
rebuilt from the store after every ingest that changed something, and stamped with the manifest
revision it reflects, so a stale one (an ingest killed before the rebuild) is noticed and rebuilt.
"""
from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Sequence

import numpy as np

_STEMMER = None


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


def boilerplate_ids(chunks: Sequence[tuple[str, str, str]], min_documents: int = 6) -> list[str]:
    """Passages repeated nearly word for word in several documents (Ofsted's contact block, "If you
    would like a copy of this document in a different format…"): furniture, not content. Six
    documents, because a grade table ("Good … Good … Outstanding") legitimately recurs in a few.
    `chunks` are (chunk_id, doc_id, text); numbers are ignored when comparing."""
    docs_by_key: dict[str, set[str]] = {}
    keys = []
    for chunk_id, doc_id, text in chunks:
        key = re.sub(r"\d+", "#", re.sub(r"\W+", " ", text.lower())).strip()
        keys.append((chunk_id, key))
        docs_by_key.setdefault(key, set()).add(doc_id)
    return [chunk_id for chunk_id, key in keys if len(docs_by_key[key]) >= min_documents]


class LexicalIndex:
    def __init__(self, ids: list[str], retriever, revision: int, boilerplate: Sequence[str] = (),
                 facets: Sequence[dict] = ()):
        self.ids = ids
        self._retriever = retriever
        self.revision = revision
        self.boilerplate = frozenset(boilerplate)
        # Per passage, in `ids` order: what filters look at (ingest/filters.py), so a filtered
        # question or a decisions listing needs no Chroma `where` query.
        self.facets = list(facets)
        self._columns = None

    @classmethod
    def build(cls, ids: Sequence[str], texts: Sequence[str], revision: int,
              boilerplate: Sequence[str] = (), facets: Sequence[dict] = ()) -> "LexicalIndex":
        import bm25s

        retriever = bm25s.BM25()
        if ids:
            retriever.index(tokenize(texts), show_progress=False)
        return cls(list(ids), retriever if ids else None, revision, boilerplate, facets)

    def save(self, directory: Path) -> None:
        tmp = directory.with_name(directory.name + ".tmp")
        shutil.rmtree(tmp, ignore_errors=True)
        tmp.mkdir(parents=True)
        if self._retriever is not None:
            self._retriever.save(str(tmp / "bm25"))
        (tmp / "ids.json").write_text(json.dumps({"revision": self.revision, "ids": self.ids, "boilerplate": sorted(self.boilerplate),
                                                  "facets": self.facets}), encoding="utf-8")
        shutil.rmtree(directory, ignore_errors=True)
        tmp.rename(directory)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex | None":
        import bm25s

        try:
            data = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
            if len(data.get("facets", ())) != len(data["ids"]):
                return None  # written before facets were kept: rebuild
            retriever = bm25s.BM25.load(str(directory / "bm25"), mmap=True) if data["ids"] else None
        except (OSError, ValueError, KeyError):
            return None
        return cls(data["ids"], retriever, int(data["revision"]), data.get("boilerplate", ()), data["facets"])

    def columns(self):
        """The facets as arrays (ingest.filters.FacetColumns), built once per index."""
        from .filters import FacetColumns

        if self._columns is None:
            self._columns = FacetColumns.of(self.facets)
        return self._columns

    def allowed(self, filters) -> np.ndarray:
        """A mask over `ids`: the passages `filters` (an ingest.filters.Filters) let through."""
        return filters.mask(self.columns())

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage, in `ids` order (zero where no query term occurs)."""
        if self._retriever is None:
            return np.zeros(0, dtype=np.float32)
        tokens = tokenize([query])[0]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self._retriever.get_scores(tokens), dtype=np.float32)
