"""Which files are in the store, by content hash: what makes re-ingesting idempotent.

Written only after a document's chunks are stored, and atomically (temp file, then rename),
so an ingest killed at any point leaves a manifest that never claims chunks it does not have.
"""
from __future__ import annotations

import json
import os
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path


@dataclass
class ManifestEntry:
    doc_id: str
    sha256: str
    chunks: int
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


@dataclass
class Manifest:
    path: Path
    documents: dict[str, ManifestEntry] = field(default_factory=dict)  # keyed by source path
    revision: int = 0  # bumped on every change, so the lexical index knows when it is stale

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = {src: ManifestEntry(**entry) for src, entry in data.get("documents", {}).items()}
        return cls(path, docs, int(data.get("revision", 0)))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"revision": self.revision, "documents": {s: asdict(e) for s, e in sorted(self.documents.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
