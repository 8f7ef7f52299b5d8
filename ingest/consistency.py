"""`clerk check`: do Chroma's passages and the manifest agree?

Passages no manifest entry owns are never seen by a re-run, an update or a prune (two writers at once
left 101 such passages before writers took the store's lock); an entry whose passages are not all
stored answers from a part of its record. Repair deletes the first and drops the entry of the second,
then reads again every file either came from that is still there."""
from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path

from .embed import Embedder
from .library import Library
from .manifest import CHANGING, Manifest
from .pipeline import FileOutcome, IngestReport, ingest_paths, is_url_source, remove_documents


@dataclass(frozen=True)
class Unowned:
    doc_id: str
    source: str
    passages: int


@dataclass(frozen=True)
class Missing:
    source: str
    expected: int
    stored: int


@dataclass(frozen=True)
class Consistency:
    passages: int  # stored in Chroma
    documents: int  # entries in the manifest
    unowned: tuple[Unowned, ...]  # passages stored that no manifest entry owns, by document
    missing: tuple[Missing, ...]  # manifest entries whose passages are not all stored

    @property
    def ok(self) -> bool:
        return not self.unowned and not self.missing

    def lines(self) -> list[str]:
        out = [f"{self.passages} passages stored, {self.documents} documents in the manifest"]
        if self.unowned:
            out.append(f"passages no manifest entry owns: {sum(u.passages for u in self.unowned)} "
                       f"of {len(self.unowned)} documents")
            out += [f"  {u.source}: {u.passages} passages" for u in self.unowned]
        if self.missing:
            out.append(f"manifest entries without all their passages: {len(self.missing)}")
            out += [f"  {m.source}: {m.stored} of {m.expected} passages stored" for m in self.missing]
        return out


def compare(stored: dict[str, tuple[int, str]], manifest: Manifest) -> Consistency:
    """`stored`: each doc_id's passage count and source, as Chroma holds them."""
    owned = {entry.doc_id for entry in manifest.documents.values()}
    unowned = tuple(Unowned(doc_id, source, count) for doc_id, (count, source) in sorted(stored.items(), key=lambda
                    item: item[1][1]) if doc_id not in owned)
    missing = tuple(Missing(source, entry.chunks, stored.get(entry.doc_id, (0, ""))[0])
                    for source, entry in sorted(manifest.documents.items())
                    if stored.get(entry.doc_id, (0, ""))[0] != entry.chunks)
    return Consistency(sum(count for count, _ in stored.values()), len(manifest.documents), unowned, missing)


def check(library: Library) -> Consistency:
    library.reload_manifest()
    return compare(library.store.passages_by_document(), library.manifest)


def repair(library: Library, embedder: Embedder, found: Consistency, *,
           parse_seconds: float | None = None) -> IngestReport:
    """Delete unowned passages and drop incomplete entries, then ingest again the files they came from
    that are still there. Records synced from a web site come back with the next `clerk sync`."""
    report = IngestReport()
    for unowned in found.unowned:
        library.store.delete_document(unowned.doc_id)
        report.outcomes.append(FileOutcome(unowned.source, "removed", unowned.passages,
                                           "passages no manifest entry owned"))
    if found.unowned:  # the BM25 index holds the deleted passages: a new revision has it rebuilt
        library.manifest.revision += 1
        library.manifest.save()
    remove_documents([m.source for m in found.missing], library, report, "passages missing from the store")
    again = sorted({o.source for o in report.outcomes if not is_url_source(o.source) and Path(o.source).is_file()})
    if again:
        report.outcomes += ingest_paths([Path(source) for source in again], library, embedder,
                                        parse_seconds=parse_seconds).outcomes
    library.lexical()
    return report


def counts_agree(library: Library) -> bool:
    """The cheap test run before every ingest: Chroma's passage count against the manifest's sum of
    chunk counts, neither reading a passage. `check` reads every passage's metadata (seconds on a large
    store), so it runs only when these differ. A store that is damaged yet agrees in count (as many
    passages unowned as missing) waits for `clerk check`."""
    library.reload_manifest()
    return library.store.count() == sum(entry.chunks for entry in library.manifest.documents.values())


@dataclass(frozen=True)
class Repaired:
    line: str  # what was put right, in one line
    failed: tuple[FileOutcome, ...]  # files that could not be ingested again, each with its reason


def repair_if_needed(library: Library, embedder: Embedder, *, parse_seconds: float | None = None) -> Repaired | None:
    """At the start of an ingest, with the store's lock held: when the counts disagree, the full check
    and its repair. None when nothing needed repair."""
    if counts_agree(library):
        return None
    found = check(library)
    # An entry marked CHANGING lacks passages because an update or prune was killed mid-way; the ingest
    # redoes it as such (manifest.py), so it is left to the ingest rather than dropped here.
    changing = {source for source, entry in library.manifest.documents.items() if entry.sha256 == CHANGING}
    found = replace(found, missing=tuple(m for m in found.missing if m.source not in changing))
    if found.ok:
        return None
    report = repair(library, embedder, found, parse_seconds=parse_seconds)
    parts = []
    if found.unowned:
        parts.append(f"deleted {sum(u.passages for u in found.unowned)} passages of {len(found.unowned)} "
                     f"documents no manifest entry owned")
    if found.missing:
        parts.append(f"dropped {len(found.missing)} manifest entries without all their passages")
    again = report.count("added") + report.count("updated")
    failed = f", {len(report.failed)} failed" if report.failed else ""
    return Repaired(f"repaired before ingesting: {'; '.join(parts)}; {again} files ingested again{failed}",
                    tuple(report.failed))
