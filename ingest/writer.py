"""One writer per store, across processes: the lock every ingest, sync, upload, delete and prune holds.

A writer reads the manifest, stores passages, and saves the manifest whole; two at once (the app's
upload and a `clerk ingest` on the same store) each save a manifest missing the other's entries, and
the passages of the lost entries stay in Chroma with no entry to own them. So a writer holds an
exclusive flock on STORE/.write.lock for the whole of its work. The OS releases a flock when its
holder's process ends, however it ends (kill -9 too), so a dead writer never leaves the store locked.
Readers (questions) never take it.

Within a process, app sessions are threads: they queue on a thread lock first (one per store, however
many objects open it), and the flock is taken once for the outermost holder (an upload's ingest runs
inside the upload's hold)."""
from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path

LOCK_FILE = ".write.lock"
_POLL = 0.2  # seconds between tries while another process holds the lock


class StoreBusy(Exception):
    """Another process kept the store for longer than this one would wait; the message says who."""


_locks: dict[Path, "WriteLock"] = {}
_locks_guard = threading.Lock()


def store_lock(store: Path) -> "WriteLock":
    """The one WriteLock of this process for a store folder."""
    path = Path(store).expanduser().resolve()
    with _locks_guard:
        return _locks.setdefault(path, WriteLock(path))


class WriteLock:
    def __init__(self, store: Path):
        self.path = Path(store) / LOCK_FILE
        self._thread = threading.RLock()
        self._depth = 0
        self._fd: int | None = None

    @contextmanager
    def hold(self, doing: str, wait: float, on_wait: Callable[[str], None] = lambda message: None) -> Iterator[None]:
        """Be the store's one writer for the block. `doing` ("clerk ingest") is what a waiting writer is
        told; `on_wait` is told once if this one has to wait, up to `wait` seconds, for another process."""
        with self._thread:
            if self._depth == 0:
                self._fd = self._acquire(doing, wait, on_wait)
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
                if self._depth == 0:
                    os.ftruncate(self._fd, 0)  # no longer anyone's
                    os.close(self._fd)  # closing the last descriptor releases the flock
                    self._fd = None

    def holder(self) -> str:
        """Who holds the lock, as its holder wrote it ("clerk ingest, pid 4242, since 14:03:07")."""
        try:
            return self.path.read_text(encoding="utf-8").strip() or "another process"
        except OSError:
            return "another process"

    def _acquire(self, doing: str, wait: float, on_wait: Callable[[str], None]) -> int:
        import fcntl

        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            if not _try_lock(fd, fcntl):
                store = self.path.parent
                on_wait(f"{store} is being written by {self.holder()}: waiting for it to finish "
                        f"(up to {wait:g} s, CLERK_WRITE_WAIT)")
                deadline = time.monotonic() + wait
                while not _try_lock(fd, fcntl):
                    if time.monotonic() >= deadline:
                        raise StoreBusy(f"{store} is still being written by {self.holder()} after {wait:g} s: "
                                        "try again when it has finished, or wait longer with CLERK_WRITE_WAIT")
                    time.sleep(_POLL)
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{doing}, pid {os.getpid()}, since {datetime.now():%Y-%m-%d %H:%M:%S}\n".encode(), 0)
        except BaseException:
            os.close(fd)
            raise
        return fd


def _try_lock(fd: int, fcntl) -> bool:
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    return True
