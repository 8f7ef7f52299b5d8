"""Ingest files into a library: discover, parse, chunk, embed in batches, store, record.

The only module here that reads files. Each document's chunks are stored before the manifest
says so, so a run killed at any point is completed by the next run with nothing duplicated.
"""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .chunk import chunk_document
from .embed import Embedder
from .errors import ParseError
from .library import Library
from .manifest import ManifestEntry
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
        else:
            skipped.append(FileOutcome(str(path), "failed", message="no such file or folder"))
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
    if not parsed.parts and _unrecognised(docs[0].meta):
        warnings.append("not recognised as minutes, a decision, a report or an inspection (no council, committee "
                        "or meeting date found): ingested as plain text; a NAME.meta.json sidecar can supply them")
    return docs, warnings


def _unrecognised(meta) -> bool:
    return meta.kind in (None, "other") and not (meta.council or meta.committee or meta.meeting_date)


def _stated_bytes(path: Path) -> bytes:
    """The metadata files that speak for `path`, so that editing one counts as a change to it."""
    files = [path.parent / name for name in FOLDER_MANIFESTS] + [path.with_name(path.name + ".meta.json"),
                                                                 path.with_suffix(".meta.json")]
    return b"".join(b"\0" + f.read_bytes() for f in files if f.is_file())


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
    sidecar = path.with_name(path.name + ".meta.json")
    if not sidecar.exists():
        sidecar = path.with_suffix(".meta.json")
    if sidecar.exists():
        try:
            meta, ignored = meta_from_sidecar(sidecar.read_bytes())
        except (ValueError, TypeError) as exc:
            raise ParseError(f"bad sidecar {sidecar.name}: {exc}") from None
        stated = meta.merged_over(stated) if stated else meta
        if ignored:
            warnings.append(f"sidecar fields not used: {', '.join(ignored)}")
    return stated


def ingest_paths(paths: Iterable[Path], library: Library, embedder: Embedder, *, prune: bool = False,
                 progress: Progress = no_progress, jsonl_mapping: dict[str, str] | None = None) -> IngestReport:
    started = time.perf_counter()
    files, outcomes = discover(paths)
    report = IngestReport(outcomes=outcomes)
    library.reload_manifest()  # another process or instance may have ingested since this one opened
    manifest = library.manifest
    pending: list[tuple[Document, list[Chunk], list[str], str]] = []

    for done, path in enumerate(files, start=1):
        source = str(path.resolve())
        try:
            data = path.read_bytes()
        except OSError as exc:
            report.outcomes.append(FileOutcome(source, "failed", message=f"cannot read ({exc.strerror})"))
            continue
        sha256 = hashlib.sha256(data + _stated_bytes(path)).hexdigest()  # a changed sidecar re-reads the file
        known = manifest.documents.get(source)
        if known and known.sha256 == sha256:
            report.outcomes.append(FileOutcome(source, "unchanged", known.chunks))
        else:
            try:
                docs, warnings = read_documents(path, data, sha256, jsonl_mapping)
                chunks = [chunk for doc in docs for chunk in chunk_document(doc)]
                if not chunks:
                    raise ParseError("no text found")
                pending.append((docs[0], chunks, warnings, "updated" if known else "added"))
            except ParseError as exc:
                report.outcomes.append(FileOutcome(source, "failed", message=str(exc)))
        progress("reading", done, len(files))

    embedded = _store_pending(pending, library, embedder, report, progress)

    if prune:
        for source, entry in list(manifest.documents.items()):
            # Records synced from a web site are keyed by URL: they have no file to be gone.
            if not is_url_source(source) and not Path(source).exists():
                library.store.delete_document(entry.doc_id)
                del manifest.documents[source]
                manifest.revision += 1
                manifest.save()
                report.outcomes.append(FileOutcome(source, "removed", entry.chunks, "file is gone"))

    library.lexical()  # rebuilt here when anything changed, so the first question after is fast
    report.chunks_embedded = embedded
    report.seconds = time.perf_counter() - started
    return report


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
        chunks = chunk_document(doc)
        if not chunks:
            report.outcomes.append(FileOutcome(doc.source, "failed", message="no text found"))
            continue
        pending.append((doc, chunks, warnings, "updated" if known else "added"))
    report.chunks_embedded += _store_pending(pending, library, embedder, report, no_progress)
    return report


def remove_documents(sources: Iterable[str], library: Library, report: IngestReport, reason: str) -> None:
    """Drop records by source, passages first, then the manifest entries, saved once."""
    manifest = library.manifest
    removed = False
    for source in sources:
        entry = manifest.documents.pop(source, None)
        if entry:
            library.store.delete_document(entry.doc_id)
            report.outcomes.append(FileOutcome(source, "removed", entry.chunks, reason))
            removed = True
    if removed:
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
    chunks = [chunk for _, doc_chunks, _, _ in batch for chunk in doc_chunks]
    t0 = time.perf_counter()
    vectors = embedder.encode([c.indexed_text() for c in chunks])
    report.embed_seconds += time.perf_counter() - t0
    offset = 0
    manifest = library.manifest
    for doc, doc_chunks, warnings, status in batch:
        # Replace, never append: a changed file leaves none of its old chunks behind.
        library.store.delete_document(doc.doc_id)
        library.store.add(doc_chunks, vectors[offset:offset + len(doc_chunks)])
        offset += len(doc_chunks)
        manifest.documents[doc.source] = ManifestEntry(doc.doc_id, doc.sha256, len(doc_chunks),
                                                       doc.meta.as_dict(), warnings)
        manifest.revision += 1
        report.outcomes.append(FileOutcome(doc.source, status, len(doc_chunks), "; ".join(warnings)))
    manifest.save()  # only now: every chunk it names is stored
    return len(chunks)
