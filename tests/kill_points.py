"""Kill points for the kill -9 tests (tests/test_kill_anywhere.py): just before and just after every call that
changes a store on disk (Chroma's passages, the manifest and its recorded intent, the lexical index, a sync's
state, and each file put in place by os.replace). A run counts them; a run told to die at point K sends
itself SIGKILL there, which no handler, `finally` or atexit sees: as kill -9 from outside, but at a point
that a seeded random number names, so every trial can be run again."""
from __future__ import annotations

import os
import signal
from typing import Callable

from ingest.lexical import LexicalIndex
from ingest.manifest import Manifest
from ingest.store import Store
from ingest.sync import SyncState

TARGETS = [(Store, "add"), (Store, "replace_document"), (Store, "delete_document"), (Manifest, "record_intent"),
           (Manifest, "save"), (LexicalIndex, "save"), (SyncState, "save"), (os, "replace")]


class KillPoints:
    def __init__(self, kill_at: int = 0):
        self.kill_at = kill_at  # 0: count, never kill
        self.passed = 0

    def install(self, set_attribute: Callable[[object, str, object], None] = setattr) -> None:
        """Wrap every target; `set_attribute` is pytest's monkeypatch.setattr in a test, to be undone."""
        for owner, name in TARGETS:
            set_attribute(owner, name, self._wrapped(getattr(owner, name)))

    def _wrapped(self, real):
        def wrapper(*args, **kwargs):
            self._point()
            result = real(*args, **kwargs)
            self._point()
            return result
        return wrapper

    def _point(self) -> None:
        self.passed += 1
        if self.passed == self.kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
