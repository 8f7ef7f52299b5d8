"""Files uploaded through the app: names made safe, zips unpacked within limits, files kept under
STORE/uploads so they survive restarts and can be downloaded, and a history of what became of each.

Uploaded bytes and names are untrusted. A name keeps only its last path component and a plain
character set, so nothing is written outside the uploads folder, from a zip member either; a zip is
refused member by member past a count or an unpacked size, so a small zip cannot fill the disk.
"""
from __future__ import annotations

import hashlib
import io
import json
import os
import re
import tempfile
import threading
import time
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path, PurePosixPath

from ingest.errors import failure_reason
from ingest.pipeline import FileOutcome
from ingest.progress import Progress, no_progress
from ingest.readers import is_supported
from ingest.writer import StoreBusy

from .service import Assistant
from .settings import Settings

UPLOAD_TYPES = ("pdf", "html", "htm", "txt", "md", "markdown", "json", "jsonl", "zip")
HISTORY = ".history.jsonl"  # hidden: `clerk ingest STORE/uploads` passes over it
_history_lock = threading.Lock()  # app sessions are threads of one process


@dataclass(frozen=True)
class Limits:
    max_bytes: int  # each uploaded file, and each file unpacked from a zip
    max_members: int  # files in one zip
    max_unzipped_bytes: int  # all files of one zip, unpacked

    @classmethod
    def of(cls, settings: Settings) -> "Limits":
        return cls(settings.upload_max_mb * 1_000_000, settings.upload_zip_max_files,
                   settings.upload_zip_max_mb * 1_000_000)


@dataclass(frozen=True)
class Incoming:
    """A file ready to store, or the one-line reason it was refused (`data` empty)."""

    name: str  # as uploaded, for messages ("minutes.zip/2024/a.pdf")
    safe_name: str  # the name it is stored under
    data: bytes = b""
    error: str = ""


def safe_name(name: str) -> str:
    """The last component of `name`, reduced to letters, digits, '.', '-' and '_': no folders, no
    '..', no hidden files, no control or look-alike characters. Empty when nothing usable is left."""
    base = re.split(r"[\\/]", name)[-1]
    base = unicodedata.normalize("NFKD", base).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9._-]+", "_", base).strip("._-")
    stem, dot, suffix = base.rpartition(".")
    if dot and len(base) > 120:  # keep the type, cut the stem: file systems limit name length
        base = stem[:110].rstrip("._-") + "." + suffix[:10]
    return base[:120]


def unpack(name: str, data: bytes, limits: Limits) -> list[Incoming]:
    """An upload as the files to store: itself, or a zip's members. Each refusal names its file."""
    if len(data) > limits.max_bytes:
        return [Incoming(name, safe_name(name), error=f"{_mb(len(data))} is over the {_mb(limits.max_bytes)} limit")]
    if PurePosixPath(name.lower()).suffix == ".zip":
        return _unzip(name, data, limits)
    return [_accept(name, data)]


def _accept(name: str, data: bytes) -> Incoming:
    safe = safe_name(name)
    if not safe or not is_supported(safe):
        suffix = PurePosixPath(name).suffix or "(none)"
        return Incoming(name, safe, error=f"unsupported file type {suffix}; upload PDF, HTML, text, Markdown or JSON")
    if not data:
        return Incoming(name, safe, error="the file is empty")
    return Incoming(name, safe, data)


def _unzip(name: str, data: bytes, limits: Limits) -> list[Incoming]:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = [m for m in archive.infolist() if not m.is_dir()]
    except (zipfile.BadZipFile, OSError) as exc:
        return [Incoming(name, safe_name(name), error=f"not a readable zip ({exc})")]
    if len(members) > limits.max_members:
        return [Incoming(name, safe_name(name), error=f"holds {len(members)} files; the limit is {limits.max_members}")]
    found, unpacked = [], 0
    for member in members:
        label = f"{name}/{member.filename}"
        parts = PurePosixPath(member.filename.replace("\\", "/")).parts
        if any(p.startswith(".") and p not in (".", "..") for p in parts) or parts[0] == "__MACOSX":
            continue  # hidden files and macOS resource forks are not records; "../x" is stored as "x"
        if not is_supported(parts[-1]):  # refused for its type before a byte is unpacked
            found.append(Incoming(label, safe_name(parts[-1]), error=f"unsupported file type {PurePosixPath(parts[-1]).suffix or '(none)'}"))
            continue
        # The declared size may lie: read at most one byte past what is still allowed.
        allowed = min(limits.max_bytes, limits.max_unzipped_bytes - unpacked)
        try:
            with archive.open(member) as handle:
                content = handle.read(allowed + 1)
        except (zipfile.BadZipFile, RuntimeError, OSError, NotImplementedError) as exc:
            found.append(Incoming(label, safe_name(parts[-1]), error=f"cannot unpack ({exc})"))
            continue
        if len(content) > allowed:
            limit = limits.max_bytes if allowed == limits.max_bytes else limits.max_unzipped_bytes
            what = "the file unpacks" if allowed == limits.max_bytes else "the zip's files together unpack"
            found.append(Incoming(label, safe_name(parts[-1]), error=f"{what} to over {_mb(limit)}"))
            if allowed < limits.max_bytes:
                break  # the zip's whole allowance is spent
            continue
        unpacked += len(content)
        found.append(_accept(label, content))
    return found or [Incoming(name, safe_name(name), error="the zip holds no files")]


def _mb(n: int) -> str:
    return f"{n / 1_000_000:.1f} MB"


def write_atomically(path: Path, data: bytes) -> None:
    """Whole or not at all: a reader (a download, an ingest) never sees half a file."""
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".upload-", suffix=".tmp")
    with os.fdopen(fd, "wb") as handle:
        handle.write(data)
    os.replace(tmp, path)


@dataclass(frozen=True)
class HistoryEntry:
    time: str
    name: str  # as uploaded
    source: str  # the stored file's absolute path; the manifest's key when ingested
    sha256: str
    status: str  # an ingest status: added, updated, unchanged, failed
    message: str = ""


def record(uploads: Path, entries: list[HistoryEntry]) -> None:
    with _history_lock, open(uploads / HISTORY, "a", encoding="utf-8") as handle:
        for entry in entries:
            handle.write(json.dumps(asdict(entry), ensure_ascii=False) + "\n")


def history(uploads: Path) -> list[HistoryEntry]:
    try:
        lines = (uploads / HISTORY).read_text(encoding="utf-8").splitlines()
    except OSError:
        return []
    entries = []
    for line in lines:
        try:
            entries.append(HistoryEntry(**json.loads(line)))
        except (ValueError, TypeError):
            continue  # a line cut short by a crash: the rest still count
    return entries


def now() -> str:
    return time.strftime("%Y-%m-%d %H:%M:%S")


@dataclass(frozen=True)
class UploadResult:
    name: str  # as uploaded
    status: str  # added, updated, unchanged, failed
    message: str = ""
    chunks: int = 0
    source: str = ""  # the stored file, when one was kept
    sha256: str = ""


def uploads_folder(assistant: Assistant) -> Path:
    folder = (assistant.settings.store / "uploads").resolve()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def ingest_uploads(assistant: Assistant, files: list[tuple[str, bytes]], progress: Progress = no_progress,
                   on_wait: Callable[[str], None] | None = None) -> list[UploadResult]:
    """Store and ingest uploaded files (name, bytes); one result per file, refusals included.
    A file that fails to ingest is taken away again and any earlier file of its name put back,
    so a bad upload leaves the store, and the downloads, as they were. `on_wait` is told when
    another process is writing the store and the upload waits for it."""
    folder = uploads_folder(assistant)
    results: list[UploadResult] = []
    accepted: dict[str, Incoming] = {}
    for name, data in files:
        for incoming in unpack(name, data, Limits.of(assistant.settings)):
            if incoming.error:
                results.append(UploadResult(incoming.name, "failed", incoming.error))
            elif incoming.safe_name in accepted:
                results.append(UploadResult(incoming.name, "failed", f"another file in this upload is also named {incoming.safe_name}"))
            else:
                accepted[incoming.safe_name] = incoming
    try:
        with assistant.writer("an upload in the app", on_wait):
            earlier: dict[Path, bytes | None] = {}  # what each name held before, to put back on failure
            crash = "not ingested"
            try:
                outcomes = _store_and_ingest(assistant, folder, list(accepted.values()), earlier, progress)
            except Exception as exc:  # noqa: BLE001 - whatever broke, the earlier files go back, history says so
                outcomes, crash = {}, f"not ingested: {failure_reason(exc)}"
            for incoming in accepted.values():
                path = folder / incoming.safe_name
                outcome = outcomes.get(str(path))
                status = outcome.status if outcome else "failed"
                if status == "failed" and path in earlier:
                    _put_back(path, earlier[path])
                results.append(UploadResult(incoming.name, status, outcome.message if outcome else crash,
                                            outcome.chunks if outcome else 0, "" if status == "failed" else str(path),
                                            hashlib.sha256(incoming.data).hexdigest()))
    except StoreBusy as exc:  # another process kept the store past CLERK_WRITE_WAIT: nothing was written
        results += [UploadResult(incoming.name, "failed", f"not ingested: {exc}")
                    for incoming in accepted.values()]
    record(folder, [HistoryEntry(now(), r.name, r.source, r.sha256, r.status, r.message) for r in results])
    return results


def _store_and_ingest(assistant: Assistant, folder: Path, files: list[Incoming], earlier: dict[Path, bytes | None],
                      progress: Progress) -> dict[str, FileOutcome]:
    """Write the files under their safe names, noting in `earlier` what each name held first, and
    ingest them: their outcomes by source."""
    for incoming in files:
        path = folder / incoming.safe_name
        earlier[path] = path.read_bytes() if path.is_file() else None
        write_atomically(path, incoming.data)
    report = assistant.ingest(list(earlier), progress=progress) if earlier else None
    return {o.source: o for o in report.outcomes} if report else {}


def _put_back(path: Path, data: bytes | None) -> None:
    """A failed upload's name as it was: the earlier good file, or nothing."""
    if data is None:
        path.unlink(missing_ok=True)
    else:
        write_atomically(path, data)


def delete_document(assistant: Assistant, source: str) -> bool:
    """Drop a document from the store; an uploaded one loses its stored file too (a file the CLI
    ingested belongs to its owner and stays). False when it was no longer in the store."""
    removed = assistant.delete_document(source, "deleted in the app")
    folder = uploads_folder(assistant)
    path = Path(source)
    if path.parent == folder:
        path.unlink(missing_ok=True)
        record(folder, [HistoryEntry(now(), path.name, source, "", "deleted")])
    return removed is not None
