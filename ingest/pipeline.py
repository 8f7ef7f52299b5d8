"""Ingest files into a library: discover, parse, chunk, embed in batches, store, record.

The only module here that reads files. Each document's chunks are stored before the manifest
says so, so a run killed at any point is completed by the next run with nothing duplicated.
"""
from __future__ import annotations

import hashlib
import os
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Iterable

import numpy as np

from .budget import ParseBudget
from .chunk import chunk_document
from .embed import Embedder
from .errors import ParseError, failure_reason
from .inspections import read_inspection
from .library import Library
from .manifest import Manifest, ManifestEntry
from .metadata import FOLDER_MANIFESTS, folder_manifest, infer_metadata, meta_from_fields, meta_from_sidecar
from .progress import Progress, no_progress
from .readers import is_supported, parse_bytes
from .records import Chunk, Document, RecordMeta

EMBED_BATCH = 64  # chunks embedded together, across documents, so small files do not starve the model


@dataclass
class FileOutcome:
    source: str
    status: str  # added | updated | unchanged | failed | skipped | removed
    chunks: int = 0
    message: str = ""

    def line(self) -> str:
        detail = f": {self.message}" if self.message else ""
        return f"{self.status}: {self.source}{detail}"


@dataclass
class IngestReport:
    outcomes: list[FileOutcome] = field(default_factory=list)
    chunks_embedded: int = 0
    embed_seconds: float = 0.0
    seconds: float = 0.0
    repaired: str = ""  # what the check at the start of an ingest put right (ingest/consistency.py), in one line

    def count(self, status: str) -> int:
        return sum(o.status == status for o in self.outcomes)

    @property
    def failed(self) -> list[FileOutcome]:
        return [o for o in self.outcomes if o.status == "failed"]

    def summary(self) -> str:
        parts = [f"{self.count(s)} {s}" for s in ("added", "updated", "unchanged", "removed", "skipped", "failed")
                 if self.count(s)]
        rate = f", {self.chunks_embedded / self.seconds:.1f} chunks/s" if self.seconds and self.chunks_embedded else ""
        return f"{', '.join(parts) or 'nothing to do'}; {self.chunks_embedded} chunks embedded in {self.seconds:.1f} s{rate}"


def doc_id_for(path: Path) -> str:
    """Stable across runs and machines' working directories: derived from the absolute path."""
    return hashlib.sha1(str(path.resolve()).encode("utf-8")).hexdigest()[:16]


def discover(paths: Iterable[Path]) -> tuple[list[Path], list[FileOutcome]]:
    """Files to ingest, walking folders recursively. Unsupported files are skipped with a note;
    hidden files, `.meta.json` sidecars, folder READMEs (which describe records, not hold them) and
    a store kept among the records (its manifest and sync state are JSON, not meetings) quietly."""
    found: list[Path] = []
    skipped: list[FileOutcome] = []
    for path in paths:
        if path.is_dir():
            stores = [m.parent for m in path.rglob("manifest.json")
                      if (m.parent / "chroma").is_dir() or (m.parent / "lexical").is_dir()]
            for child in sorted(p for p in path.rglob("*") if p.is_file()):
                rel = child.relative_to(path).parts
                if any(part.startswith(".") for part in rel) or child.name.endswith(".meta.json") \
                        or child.name in FOLDER_MANIFESTS or any(store in child.parents for store in stores) \
                        or child.stem.upper() == "README":
                    continue
                if is_supported(child.name):
                    found.append(child)
                else:
                    skipped.append(FileOutcome(str(child), "skipped", message=_unsupported(child)))
        elif path.is_file():
            if is_supported(path.name):
                found.append(path)
            else:
                skipped.append(FileOutcome(str(path), "skipped", message=_unsupported(path)))
        else:  # a FIFO would block the read for ever, /dev/zero never end it
            message = "not a regular file (a pipe, a device or a socket)" if path.exists() else "no such file or folder"
            skipped.append(FileOutcome(str(path), "failed", message=message))
    return list(dict.fromkeys(found)), skipped


def _unsupported(path: Path) -> str:
    if path.name.endswith(".meta.json"):
        return "a metadata sidecar, read with the record it describes"
    return f"unsupported file type {path.suffix or '(none)'}"


def read_documents(path: Path, data: bytes, sha256: str,
                   jsonl_mapping: dict[str, str] | None = None) -> tuple[list[Document], list[str]]:
    """A file's documents: one for most formats, one a record for JSONL. A sidecar's fields win."""
    parsed = parse_bytes(path.name, data, jsonl_mapping)
    warnings = list(parsed.warnings)
    stated = _stated_meta(path, warnings)
    doc_id, source = doc_id_for(path), str(path.resolve())
    if parsed.parts:
        pieces = [(part.pages, part.meta, part.key) for part in parsed.parts]
    else:
        inferred = infer_metadata(path.name, parsed.pages, parsed.title, parsed.running)
        pieces = [(parsed.pages, parsed.meta.merged_over(inferred) if parsed.meta else inferred, None)]
    docs = [Document(doc_id, source, sha256, pages, stated.merged_over(meta) if stated else meta, part)
            for pages, meta, part in pieces]
    if not parsed.parts:
        docs[0] = replace(docs[0], inspection=_inspection(docs[0], parsed.running))
    if not parsed.parts and _unrecognised(docs[0].meta):
        warnings.append("not recognised as minutes, a decision, a report or an inspection (no council, committee "
                        "or meeting date found): ingested as plain text; a NAME.meta.json sidecar can supply them")
    return docs, warnings


def _inspection(doc: Document, running: tuple[str, ...]) -> dict | None:
    """An inspection report's reading, read once here and kept in its manifest entry, so a timeline of
    inspections needs neither the passages nor their reassembly. It is filed under the council the record
    is filed under, which a sidecar may have stated."""
    if doc.meta.kind != "inspection_report":
        return None
    found = read_inspection(doc.pages, running)
    return asdict(replace(found, council=doc.meta.council or found.council))


def _unrecognised(meta) -> bool:
    return meta.kind in (None, "other") and not (meta.council or meta.committee or meta.meeting_date)


def _sidecar(path: Path) -> Path | None:
    """`path`'s sidecar: NAME.meta.json, else STEM.meta.json. Only names a file system can hold (255
    bytes) are looked for: a record with a legal 246-byte name has no room for ".meta.json"."""
    candidates = (path.with_name(name) for name in (path.name + ".meta.json", path.stem + ".meta.json")
                  if len(os.fsencode(name)) <= 255)
    return next((candidate for candidate in candidates if candidate.exists()), None)


def _sidecar_bytes(sidecar: Path) -> bytes:
    try:
        return sidecar.read_bytes()
    except OSError as exc:  # a folder, or a file this user may not read: the record's failure, every run
        raise ParseError(f"cannot read sidecar {sidecar.name} ({exc.strerror})") from None


def _stated_bytes(path: Path) -> bytes:
    """The metadata files that speak for `path`, so that editing one counts as a change to it."""
    manifests = [f for f in (path.parent / name for name in FOLDER_MANIFESTS) if f.is_file()]
    sidecar = _sidecar(path)
    return b"".join(b"\0" + f.read_bytes() for f in manifests) + (b"\0" + _sidecar_bytes(sidecar) if sidecar else b"")


def _stated_meta(path: Path, warnings: list[str]) -> RecordMeta | None:
    """What the folder's clerk.toml/clerk.csv and then the file's NAME.meta.json say, the sidecar winning."""
    stated = None
    for manifest in (path.parent / name for name in FOLDER_MANIFESTS):
        if manifest.is_file():
            try:
                entries = folder_manifest(manifest.name, manifest.read_bytes())
                for key in ("*", path.name):
                    if key in entries:
                        meta, ignored = meta_from_fields(entries[key])
                        stated = meta.merged_over(stated) if stated else meta
                        if ignored:
                            warnings.append(f"{manifest.name} fields not used: {', '.join(ignored)}")
            except (ValueError, TypeError, UnicodeDecodeError) as exc:
                raise ParseError(f"bad folder manifest {manifest}: {exc}") from None
    sidecar = _sidecar(path)
    if sidecar:
        try:
            meta, ignored = meta_from_sidecar(_sidecar_bytes(sidecar))
        except (ValueError, TypeError) as exc:
            raise ParseError(f"bad sidecar {sidecar.name}: {exc}") from None
        stated = meta.merged_over(stated) if stated else meta
        if ignored:
            warnings.append(f"sidecar fields not used: {', '.join(ignored)}")
    return stated


def ingest_paths(paths: Iterable[Path], library: Library, embedder: Embedder, *, prune: bool = False,
                 progress: Progress = no_progress, jsonl_mapping: dict[str, str] | None = None,
                 parse_seconds: float | None = None) -> IngestReport:
    """`parse_seconds`: how long reading one file (parsing and chunking it) may take before it fails
    (ingest/budget.py); None, no limit."""
    started = time.perf_counter()
    files, outcomes = discover(paths)
    report = IngestReport(outcomes=outcomes)
    library.reload_manifest()  # another process or instance may have ingested since this one opened
    manifest = library.manifest
    pending: list[tuple[Document, list[Chunk], list[str], str]] = []

    with ParseBudget(parse_seconds) as budget:
        for done, path in enumerate(files, start=1):
            outcome, item = _read_file(path, manifest, jsonl_mapping, budget)
            if item:
                pending.append(item)
            else:
                report.outcomes.append(outcome)
            progress("reading", done, len(files))

    embedded = _store_pending(pending, library, embedder, report, progress)

    if prune:  # records synced from a web site are keyed by URL: they have no file to be gone
        gone = [source for source in manifest.documents if not is_url_source(source) and not Path(source).exists()]
        remove_documents(gone, library, report, "file is gone")

    library.lexical()  # rebuilt here when anything changed, so the first question after is fast
    report.chunks_embedded = embedded
    report.seconds = time.perf_counter() - started
    return report


def _read_file(path: Path, manifest: Manifest, jsonl_mapping: dict[str, str] | None, budget: ParseBudget):
    """(outcome, None) for a file unchanged or failed, else (None, its passages ready to embed).
    Whatever goes wrong in reading, parsing or chunking one file (a parser's error, or a library's on
    hostile input: pypdf's LimitReachedError, an overflowing date), or its taking longer than the
    budget, is that file's one-line failure."""
    source = str(path.resolve())
    known = manifest.documents.get(source)
    try:
        data = path.read_bytes()
    except OSError as exc:
        return FileOutcome(source, "failed", message=f"cannot read ({exc.strerror})"), None
    try:
        sha256 = hashlib.sha256(data + _stated_bytes(path)).hexdigest()  # a changed sidecar re-reads the file
        if known and known.sha256 == sha256:
            return FileOutcome(source, "unchanged", known.chunks), None
        docs, warnings, chunks = budget.run(_parse_file, path, data, sha256, jsonl_mapping)
        if not chunks:
            raise ParseError("no text found")
    except Exception as exc:  # noqa: BLE001 - one file's failure, whatever its type, must not end the run
        return FileOutcome(source, "failed", message=failure_reason(exc)), None
    return None, (docs[0], chunks, warnings, "updated" if known else "added")


def _parse_file(path: Path, data: bytes, sha256: str, jsonl_mapping: dict[str, str] | None):
    """A file's documents, warnings and passages: the work the parse budget limits."""
    docs, warnings = read_documents(path, data, sha256, jsonl_mapping)
    return docs, warnings, [chunk for doc in docs for chunk in chunk_document(doc)]


def is_url_source(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def ingest_documents(docs: Iterable[tuple[Document, list[str]]], library: Library, embedder: Embedder,
                     report: IngestReport | None = None) -> IngestReport:
    """Records that do not come from files (a ModernGov agenda item, keyed by its URL): stored when
    their source is new or their content hash changed, skipped when unchanged. Each document is
    one record here: its `sha256` must cover everything stored of it, text and metadata."""
    report = report or IngestReport()
    manifest = library.manifest
    pending: list[tuple[Document, list[Chunk], list[str], str]] = []
    for doc, warnings in docs:
        known = manifest.documents.get(doc.source)
        if known and known.sha256 == doc.sha256:
            report.outcomes.append(FileOutcome(doc.source, "unchanged", known.chunks))
            continue
        try:
            chunks = chunk_document(doc)
        except Exception as exc:  # noqa: BLE001 - one record's failure must not end the sync
            report.outcomes.append(FileOutcome(doc.source, "failed", message=failure_reason(exc)))
            continue
        if not chunks:
            report.outcomes.append(FileOutcome(doc.source, "failed", message="no text found"))
            continue
        pending.append((doc, chunks, warnings, "updated" if known else "added"))
    report.chunks_embedded += _store_pending(pending, library, embedder, report, no_progress)
    return report


def remove_documents(sources: Iterable[str], library: Library, report: IngestReport, reason: str) -> None:
    """Drop records by source: intent recorded, then passages deleted, then the manifest entries, saved once."""
    manifest = library.manifest
    entries = {source: manifest.documents[source] for source in sources if source in manifest.documents}
    if not entries:
        return
    manifest.record_intent(entries)
    for source, entry in entries.items():
        library.store.delete_document(entry.doc_id)
        del manifest.documents[source]
        report.outcomes.append(FileOutcome(source, "removed", entry.chunks, reason))
    manifest.revision += 1
    manifest.save()


def _store_pending(pending, library: Library, embedder: Embedder, report: IngestReport, progress: Progress) -> int:
    if not pending:  # nothing new: no embedding bar, and the model is never loaded
        return 0
    total_chunks = sum(len(chunks) for _, chunks, _, _ in pending)
    embedded = 0
    progress("embedding", 0, total_chunks)
    batch: list[tuple[Document, list[Chunk], list[str], str]] = []
    for item in pending:
        batch.append(item)
        if sum(len(c) for _, c, _, _ in batch) >= EMBED_BATCH:
            embedded += _store_batch(batch, library, embedder, report)
            progress("embedding", embedded, total_chunks)
            batch = []
    if batch:
        embedded += _store_batch(batch, library, embedder, report)
        progress("embedding", embedded, total_chunks)
    return embedded


def _store_batch(batch, library: Library, embedder: Embedder, report: IngestReport) -> int:
    t0 = time.perf_counter()
    vectors = _embed(batch, embedder)
    report.embed_seconds += time.perf_counter() - t0
    manifest = library.manifest
    manifest.record_intent(doc.source for (doc, _, _, status), doc_vectors in zip(batch, vectors)
                           if status == "updated" and not isinstance(doc_vectors, Exception))
    for (doc, doc_chunks, warnings, status), doc_vectors in zip(batch, vectors):
        error = doc_vectors if isinstance(doc_vectors, Exception) \
            else _replace_passages(library, doc, doc_chunks, doc_vectors)
        if error:  # the file fails; its entry stays, CHANGING if it had one, as the write may have begun
            report.outcomes.append(FileOutcome(doc.source, "failed", message=failure_reason(error)))
            continue
        meta = doc.meta.as_dict() | ({"inspection": doc.inspection} if doc.inspection else {})
        manifest.documents[doc.source] = ManifestEntry(doc.doc_id, doc.sha256, len(doc_chunks), meta, warnings)
        manifest.revision += 1
        report.outcomes.append(FileOutcome(doc.source, status, len(doc_chunks), "; ".join(warnings)))
    manifest.save()  # only now: every chunk it names is stored
    return sum(len(doc_chunks) for _, doc_chunks, _, _ in batch)


def _embed(batch, embedder: Embedder) -> list:
    """Each document's vectors, or the exception embedding it raised. The batch is encoded at once;
    should that fail once the model is loaded, document by document, so only the file at fault fails.
    A model that cannot load would fail every file alike: that is the run's error, raised."""
    texts = [[c.indexed_text() for c in doc_chunks] for _, doc_chunks, _, _ in batch]
    try:
        vectors = embedder.encode([text for doc_texts in texts for text in doc_texts])
    except Exception:
        if not embedder.loaded:
            raise
        return [_encode_alone(embedder, doc_texts) for doc_texts in texts]
    ends = np.cumsum([len(doc_texts) for doc_texts in texts])
    return [vectors[end - len(doc_texts):end] for doc_texts, end in zip(texts, ends)]


def _encode_alone(embedder: Embedder, texts: list[str]):
    try:
        return embedder.encode(texts)
    except Exception as exc:  # noqa: BLE001 - this document's failure, reported as its own
        return exc


def _replace_passages(library: Library, doc: Document, chunks: list[Chunk], vectors) -> Exception | None:
    """Store a document's passages in place of its old ones; the error, if Chroma refuses them."""
    try:
        library.store.replace_document(doc.doc_id, chunks, vectors)
    except Exception as exc:  # noqa: BLE001 - DuplicateIDError and the like: this document's failure
        return exc
    return None
