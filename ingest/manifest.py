"""Which files are in the store, by content hash: what makes re-ingesting idempotent.

Written only after a document's chunks are stored, and all at once, so an ingest killed at any
point leaves a manifest that never claims chunks it does not have. Before a stored document's
passages are replaced or deleted, its entry is written as CHANGING, so a run killed in between is
redone by the next, whatever the file holds by then. Beside an embedded store it is
a JSON file (temp file, then rename). With a Chroma server it lives in that server (`SharedRecords`,
implemented in ingest/store.py), because every instance sharing the server must see the same one.
"""
from __future__ import annotations

import json
import os
import tempfile
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Iterable, Protocol

# An entry's sha256 while its passages are being replaced or deleted: it matches no file, so the next
# run reads the file again even if it was reverted meanwhile, rather than calling it unchanged.
CHANGING = "changing"


@dataclass
class ManifestEntry:
    doc_id: str
    sha256: str
    chunks: int
    meta: dict = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)


class SharedRecords(Protocol):
    """A manifest kept where several instances see it. `write` stores entries (None: removed)
    and the revision in one step."""

    def read_revision(self) -> int: ...

    def read_entries(self) -> dict[str, dict]: ...

    def write(self, changes: dict[str, dict | None], revision: int) -> None: ...


@dataclass
class Manifest:
    path: Path | None  # the JSON file; None when the manifest is `shared`
    documents: dict[str, ManifestEntry] = field(default_factory=dict)  # keyed by source path
    revision: int = 0  # bumped on every change, so the lexical index knows when it is stale
    shared: SharedRecords | None = None
    # What `shared` held at the last read or write, to send only changes: entries are replaced
    # whole, never edited in place, so identity tells what changed.
    _saved: dict[str, ManifestEntry] = field(default_factory=dict, repr=False, compare=False)
    _stamp: tuple[int, int] | None = field(default=None, repr=False, compare=False)  # the file as last read

    @classmethod
    def load(cls, path: Path) -> "Manifest":
        if not path.exists():
            return cls(path)
        data = json.loads(path.read_text(encoding="utf-8"))
        docs = {src: ManifestEntry(**entry) for src, entry in data.get("documents", {}).items()}
        return cls(path, docs, int(data.get("revision", 0)), _stamp=_stamp(path))

    @classmethod
    def open_shared(cls, shared: SharedRecords) -> "Manifest":
        revision = shared.read_revision()  # first: entries read after it are at least as new
        docs = {src: ManifestEntry(**entry) for src, entry in shared.read_entries().items()}
        return cls(None, docs, revision, shared, dict(docs))

    def reload(self) -> "Manifest":
        """The manifest as stored now, read again only when it changed, because every question
        asks: a file when its modification time or size moved, a shared one when its revision did
        (a whole read costs a request per 2,000 sources)."""
        if self.shared is None:
            return self if _stamp(self.path) == self._stamp else Manifest.load(self.path)
        if self.shared.read_revision() == self.revision:
            return self
        return Manifest.open_shared(self.shared)

    def record_intent(self, sources: Iterable[str]) -> None:
        """Mark these documents CHANGING and save, before any of their passages is written or deleted."""
        marked = {s: replace(self.documents[s], sha256=CHANGING) for s in sources
                  if s in self.documents and self.documents[s].sha256 != CHANGING}
        if marked:
            self.documents.update(marked)  # new entries, not edited ones: _save_shared sends them by identity
            self.revision += 1
            self.save()

    def save(self) -> None:
        if self.shared is not None:
            self._save_shared()
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        payload = {"revision": self.revision, "documents": {s: asdict(e) for s, e in sorted(self.documents.items())}}
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".manifest-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(payload, handle, indent=1, ensure_ascii=False)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)
        self._stamp = _stamp(self.path)

    def _save_shared(self) -> None:
        # Only this instance's changes: a whole rewrite would undo what another instance wrote since.
        changes: dict[str, dict | None] = {s: asdict(e) for s, e in self.documents.items() if self._saved.get(s) is not e}
        changes.update({s: None for s in self._saved.keys() - self.documents.keys()})
        # Revisions are only ever compared for equality. Two instances counting up from the same
        # number would both write N+1 and a reader could miss the second change; a nanosecond
        # clock reading (never below this instance's last) does not collide.
        self.revision = max(self.revision, time.time_ns())
        self.shared.write(changes, self.revision)
        self._saved = dict(self.documents)


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        info = os.stat(path)
    except (OSError, TypeError):
        return None
    return info.st_mtime_ns, info.st_size
