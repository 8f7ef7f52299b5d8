"""A deterministic stand-in for the embedding model, for tests and benchmarks where what ranks first is not the
point: instant, and the same text always gets the same vector."""
from __future__ import annotations

import hashlib

import numpy as np


class FakeModel:
    """Vectors from the words' hashes."""

    def encode(self, texts, **_):
        vectors = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, int(hashlib.md5(word.encode()).hexdigest()[:6], 16) % 384] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)
