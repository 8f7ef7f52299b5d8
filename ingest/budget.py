"""Reading a file within a time budget (CLERK_PARSE_SECONDS): in a worker process, killed when one file
takes too long, so that file fails in one line and the rest of the run goes on.

Python cannot stop a thread, and a parser deep inside pypdf or html.parser checks no deadline; a process
can be killed. One worker serves the whole run, started at the first file that needs reading: on Linux
by fork, so it starts in milliseconds with everything already imported, and reads with the same code
as this process. A worker killed for overrunning is started again for the next file.
"""
from __future__ import annotations

import multiprocessing
import signal
import sys
from typing import Any, Callable

from .errors import ParseError, failure_reason


class ParseTimeout(ParseError):
    """A file whose reading took longer than the budget."""


def _serve(conn) -> None:
    """The worker: run each job sent, send back its result or the one line its failure gives."""
    _die_with_parent()
    while True:
        try:
            job, args = conn.recv()
        except EOFError:  # the run is over
            return
        try:
            result = ("ok", job(*args))
        except Exception as exc:  # noqa: BLE001 - any failure is this file's, reported as the pipeline does
            result = ("error", failure_reason(exc))
        try:
            conn.send(result)
        except Exception as exc:  # noqa: BLE001 - a result that cannot be sent back
            conn.send(("error", failure_reason(exc)))


def _die_with_parent() -> None:
    """On Linux, be killed when the ingest that started this worker dies (kill -9 too): a forked worker
    holds copies of its files, the store's write lock among them, and must not outlive it by a slow file."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL)  # 1: PR_SET_PDEATHSIG
        except (OSError, AttributeError):
            pass  # no prctl: the worker still ends when its pipe closes, after the file it is reading


class ParseBudget:
    """Runs a reading job in the worker within `seconds`; with no budget (None or 0), in this process."""

    def __init__(self, seconds: float | None):
        self.seconds = seconds if seconds and seconds > 0 else None
        self._process = None
        self._conn = None

    def run(self, job: Callable[..., Any], *args) -> Any:
        """job(*args), which must be a module-level function (it is sent to the worker by name). A
        failure in the job is raised here as a ParseError with its one line; overrunning, as ParseTimeout."""
        if self.seconds is None:
            return job(*args)
        if self._process is None or not self._process.is_alive():
            self._start()
        try:
            self._conn.send((job, args))
            if not self._conn.poll(self.seconds):
                raise ParseTimeout(f"took longer than {self.seconds:g} s to read (CLERK_PARSE_SECONDS): stopped")
            status, value = self._conn.recv()
        except (EOFError, OSError):  # killed by the OS (memory), or a crash in a C library
            self._stop()
            raise ParseError("the process reading it died") from None
        except ParseTimeout:
            self._stop()
            raise
        if status == "error":
            raise ParseError(value)
        return value

    def _start(self) -> None:
        self._stop()
        methods = multiprocessing.get_all_start_methods()
        context = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
        self._conn, child = context.Pipe()
        self._process = context.Process(target=_serve, args=(child,), daemon=True, name="clerk-reader")
        self._process.start()
        child.close()

    def _stop(self) -> None:
        if self._process is not None:
            self._process.kill()
            self._process.join()
            self._process.close()
            self._process = None
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def close(self) -> None:
        self._stop()

    def __enter__(self) -> "ParseBudget":
        return self

    def __exit__(self, *_) -> None:
        self.close()
