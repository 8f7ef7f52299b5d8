"""BM25 over the stored passages (bm25s), saved beside the Chroma store.

Exact terms that embeddings blur (minute numbers, "PLO", names) are found here. The index is
rebuilt after every ingest that changed something, and stamped with the manifest revision it
reflects, so a stale one (an ingest killed before the rebuild) is noticed and rebuilt.

A rebuild re-reads from the store only the passages of documents that changed: what the index was
built from (each passage's token ids, document, boilerplate key and facets, and each document's
content hash) is kept beside it. At 100k passages a full rebuild spent 12 s reading Chroma and 6 s
tokenising; bm25s's own indexing (4 s) is all that is left when one document changes.
"""
from __future__ import annotations

import hashlib
import json
import re
import shutil
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Sequence

import numpy as np

_STEMMER = None
# Lucene's defaults. bm25s's k1 1.5 ranked a little worse on the dev and seed questions (MRR@10 0.536
# against 0.564 on dev in `full` mode; k1 0.9 / b 0.4 and BM25+ / BM25L were no better).
BM25_K1, BM25_B = 1.2, 0.75


def _stemmer():
    global _STEMMER
    if _STEMMER is None:
        import Stemmer

        _STEMMER = Stemmer.Stemmer("english")
    return _STEMMER


def tokenize(texts: Sequence[str]) -> list[list[str]]:
    import bm25s

    return bm25s.tokenize(list(texts), stopwords="en", stemmer=_stemmer(), return_ids=False, show_progress=False)


def boilerplate_key(text: str) -> int:
    """Equal for passages that differ only in numbers, case and punctuation."""
    key = re.sub(r"\d+", "#", re.sub(r"\W+", " ", text.lower())).strip()
    return int.from_bytes(hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little")


def boilerplate_ids(ids: Sequence[str], doc_ids: Sequence[str], keys: Sequence[int],
                    min_documents: int = 6) -> list[str]:
    """Passages repeated nearly word for word in several documents (Ofsted's contact block, "If you
    would like a copy of this document in a different format…"): furniture, not content. Six
    documents, because a grade table ("Good … Good … Outstanding") legitimately recurs in a few.
    `keys` are the passages' `boilerplate_key`s."""
    docs_by_key: dict[int, set[str]] = {}
    for doc_id, key in zip(doc_ids, keys):
        docs_by_key.setdefault(int(key), set()).add(doc_id)
    return [chunk_id for chunk_id, key in zip(ids, keys) if len(docs_by_key[int(key)]) >= min_documents]


class Passages(NamedTuple):
    """Passages read from the store for indexing, as parallel lists."""
    ids: list[str]
    doc_ids: list[str]
    texts: list[str]  # what is indexed: Chunk.indexed_text()
    keys: list[int]  # boilerplate_key of the passage's own text
    facets: list[dict]


@dataclass
class Corpus:
    """What an index was built from, per passage in its `ids` order, so the next rebuild need not
    read those passages again: token ids into `vocab`, document, boilerplate key; and per document
    the content hash (the manifest's sha256) its passages were read at."""
    doc_ids: list[str]
    tokens: list[np.ndarray]
    keys: np.ndarray
    vocab: dict[str, int]
    doc_hashes: dict[str, str]

    def reusable(self, ids: Sequence[str], stored: set[str], doc_hashes: dict[str, str]) -> list[int]:
        """Positions of passages still stored whose document is unchanged since they were read."""
        return [i for i, (chunk_id, doc_id) in enumerate(zip(ids, self.doc_ids))
                if chunk_id in stored and doc_hashes.get(doc_id) is not None
                and self.doc_hashes.get(doc_id) == doc_hashes[doc_id]]


def _load_corpus(directory: Path, revision: int, passages: int) -> Corpus | None:
    """The corpus saved with the index at `revision`; None when there is none (an index written before
    corpora were kept) or when the folder now holds another revision's (another process rebuilt it):
    the next rebuild then reads every passage."""
    try:
        data = json.loads((directory / "corpus.json").read_text(encoding="utf-8"))
        if data["revision"] != revision or len(data["doc_ids"]) != passages:
            return None
        with np.load(directory / "corpus.npz") as arrays:
            tokens = np.split(arrays["tokens"], np.cumsum(arrays["lengths"])[:-1]) if passages else []
            keys = arrays["keys"]
    except (OSError, ValueError, KeyError):
        return None
    return Corpus(data["doc_ids"], tokens, keys, {t: i for i, t in enumerate(data["vocab"])}, data["doc_hashes"])


class LexicalIndex:
    def __init__(self, ids: list[str], retriever, revision: int, boilerplate: Sequence[str] = (),
                 facets: Sequence[dict] = (), corpus: Corpus | None = None, corpus_dir: Path | None = None,
                 bm25_dir: Path | None = None):
        self.ids = ids
        self._retriever = retriever
        # Read at the first search: counts and listings need only the facets, and bm25s takes ~0.3 s to import.
        self._bm25_dir = bm25_dir if retriever is None else None
        self._bm25_lock = threading.Lock()
        self.revision = revision
        self.boilerplate = frozenset(boilerplate)
        # Per passage, in `ids` order: what filters look at (ingest/filters.py), so a filtered
        # question or a decisions listing needs no Chroma `where` query.
        self.facets = list(facets)
        self._corpus = corpus
        # Read only when a rebuild needs it: it took 6 of the 7 s of opening a 936k-passage index.
        self._corpus_dir = corpus_dir if corpus is None else None
        self._columns = None
        self._positions: dict[str, int] | None = None

    def position(self, chunk_id: str) -> int | None:
        """Where a passage is in `ids` (and so in `allowed` masks and `scores`); None if not indexed."""
        if self._positions is None:
            self._positions = {cid: i for i, cid in enumerate(self.ids)}
        return self._positions.get(chunk_id)

    @property
    def corpus(self) -> Corpus | None:
        if self._corpus_dir is not None:
            directory, self._corpus_dir = self._corpus_dir, None
            self._corpus = _load_corpus(directory, self.revision, len(self.ids))
        return self._corpus

    @property
    def retriever(self):
        with self._bm25_lock:  # app sessions are threads: none may see the index half read
            if self._bm25_dir is not None:
                import bm25s

                self._retriever = bm25s.BM25.load(str(self._bm25_dir), mmap=True)
                self._bm25_dir = None
        return self._retriever

    @classmethod
    def build(cls, new: Passages, revision: int, doc_hashes: dict[str, str],
              previous: "LexicalIndex | None" = None, reuse: Sequence[int] = ()) -> "LexicalIndex":
        """The index of `previous`'s passages at positions `reuse` (their tokens kept) and the `new` ones."""
        import bm25s
        from bm25s.tokenization import Tokenized

        old = previous.corpus if previous is not None and previous.corpus is not None else None
        reuse = list(reuse) if old is not None else []
        # "" first: bm25s scores passages without tokens through it, and would otherwise add it itself.
        vocab = dict(old.vocab) if old is not None else {"": 0}
        tokens = [old.tokens[i] for i in reuse] + [
            np.fromiter((vocab.setdefault(t, len(vocab)) for t in words), dtype=np.int32)
            for words in tokenize(new.texts)]
        ids = [previous.ids[i] for i in reuse] + list(new.ids)
        doc_ids = [old.doc_ids[i] for i in reuse] + list(new.doc_ids)
        keys = np.concatenate([old.keys[reuse] if old is not None else np.zeros(0, np.uint64),
                               np.asarray(new.keys, dtype=np.uint64)])
        facets = [previous.facets[i] for i in reuse] + list(new.facets)
        retriever = None
        if ids:
            retriever = bm25s.BM25(k1=BM25_K1, b=BM25_B)
            retriever.index(Tokenized(ids=[t.tolist() for t in tokens], vocab=dict(vocab)), show_progress=False)
        corpus = Corpus(doc_ids, tokens, keys, vocab, dict(doc_hashes))
        return cls(ids, retriever, revision, boilerplate_ids(ids, doc_ids, keys), facets, corpus)

    def save(self, directory: Path) -> None:
        """Written to a folder of its own, then put in place. Readers rebuild the index too (a question after
        an ingest): two `clerk ask` processes at once shared one "lexical.tmp", and one deleted it under the
        other's writing, a traceback."""
        directory.parent.mkdir(parents=True, exist_ok=True)
        _remove_abandoned(directory)
        tmp = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}-new-"))
        if self.retriever is not None:
            self.retriever.save(str(tmp / "bm25"))
        data = {"revision": self.revision, "ids": self.ids, "boilerplate": sorted(self.boilerplate),
                "facets": self.facets}
        c = self.corpus
        if c is not None:
            lengths = np.fromiter((len(t) for t in c.tokens), dtype=np.int64, count=len(c.tokens))
            np.savez(tmp / "corpus.npz", tokens=np.concatenate(c.tokens) if c.tokens else np.zeros(0, np.int32),
                     lengths=lengths, keys=c.keys)
            (tmp / "corpus.json").write_text(json.dumps({
                "revision": self.revision, "doc_ids": c.doc_ids, "vocab": sorted(c.vocab, key=c.vocab.get),
                "doc_hashes": c.doc_hashes}), encoding="utf-8")
        (tmp / "ids.json").write_text(json.dumps(data), encoding="utf-8")
        old = Path(tempfile.mkdtemp(dir=directory.parent, prefix=f".{directory.name}-old-"))
        try:
            directory.rename(old / "index")
        except FileNotFoundError:  # none yet, or another process is between these two renames
            pass
        try:
            tmp.rename(directory)
        except OSError:  # another process put its index in place meanwhile: kept (if stale, its revision says so)
            shutil.rmtree(tmp, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)

    @classmethod
    def load(cls, directory: Path) -> "LexicalIndex | None":
        try:
            data = json.loads((directory / "ids.json").read_text(encoding="utf-8"))
            if len(data.get("facets", ())) != len(data["ids"]):
                return None  # written before facets were kept: rebuild
        except (OSError, ValueError, KeyError):
            return None
        if data["ids"] and not (directory / "bm25").is_dir():
            return None
        return cls(data["ids"], None, int(data["revision"]), data.get("boilerplate", ()), data["facets"],
                   corpus_dir=directory, bm25_dir=directory / "bm25" if data["ids"] else None)

    def columns(self):
        """The facets as arrays (ingest.filters.FacetColumns), built once per index."""
        from .filters import FacetColumns

        if self._columns is None:
            self._columns = FacetColumns.of(self.facets)
        return self._columns

    def allowed(self, filters) -> np.ndarray:
        """A mask over `ids`: the passages `filters` (an ingest.filters.Filters) let through."""
        return filters.mask(self.columns())

    def idf(self, terms: Sequence[str]) -> dict[str, float]:
        """Each (stemmed) term's inverse document frequency over the passages: log(1 + N / df), and that
        of a term found once for a term not found at all."""
        n, retriever = len(self.ids), self.retriever  # the property: the index may not be read yet
        if retriever is None or not n:
            return {t: 0.0 for t in terms}
        vocab, indptr = retriever.vocab_dict, retriever.scores["indptr"]
        df = {t: int(indptr[vocab[t] + 1] - indptr[vocab[t]]) if t in vocab else 0 for t in terms}
        return {t: float(np.log1p(n / max(1, d))) for t, d in df.items()}

    def scores(self, query: str) -> np.ndarray:
        """BM25 score of every passage, in `ids` order (zero where no query term occurs)."""
        if self.retriever is None:
            return np.zeros(0, dtype=np.float32)
        tokens = tokenize([query])[0]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        return np.asarray(self.retriever.get_scores(tokens), dtype=np.float32)


# A save takes seconds; a folder of one left for an hour was a process killed mid-save (kill -9 trials leave them).
ABANDONED_AFTER = 3600.0


def _remove_abandoned(directory: Path) -> None:
    """The half-written or set-aside indexes of saves that never finished, not those of saves under way."""
    now = time.time()
    for leftover in [*directory.parent.glob(f".{directory.name}-new-*"), *directory.parent.glob(f".{directory.name}-old-*")]:
        try:
            if now - leftover.stat().st_mtime > ABANDONED_AFTER:
                shutil.rmtree(leftover, ignore_errors=True)
        except OSError:
            pass
