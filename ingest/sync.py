"""`clerk sync moderngov`: a council's committee records from its ModernGov site into the store.

Web service first: GetCommittees, GetMeetings per committee and date window, GetMeeting per
meeting. Each agenda item's minutes become one record, keyed by its URL on the meeting page
(ieListDocuments.aspx?CId=..&MId=..#AI<id>), with a content hash over its text and metadata, so
a re-sync stores nothing that did not change and replaces what did (draft minutes replaced by
approved ones included). When the web service is switched off, the same records are read from
the HTML pages instead: meetings from ieListMeetings.aspx, items and minutes from each meeting's
ieListDocuments.aspx (and mgAi.aspx where the minutes are cut short), decisions from the decision
pages.

State, per site, in STORE/sync/SITE.json: per committee, the date synced up to (the next sync
asks only for meetings since then, less a look-back window for late or corrected minutes); per
meeting, the records it gave (an item that disappears is removed); and, while a run is under
way, the meetings already done, so a run that is interrupted resumes where it stopped.
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import tempfile
import time
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from pathlib import Path

from .embed import Embedder
from .errors import ParseError
from .library import Library
from .manifest import CHANGING
from .moderngov_client import Client, ServiceDisabled, SyncError
from .moderngov_parse import (
    AgendaItem,
    Committee,
    Decision,
    Meeting,
    MeetingStub,
    parse_committee_list,
    parse_committees,
    parse_decision_list,
    parse_decision_page,
    parse_item_page,
    parse_meeting,
    parse_meeting_list,
    parse_meeting_page,
    parse_meetings,
)
from .parse_pdf import parse_pdf
from .pipeline import FileOutcome, IngestReport, ingest_documents, remove_documents
from .progress import Progress, no_progress
from .records import Document, Page, RecordMeta

DOCUMENT_TYPES = ("minutes", "decisions", "reports")
DEFAULT_DOCUMENTS = ("minutes", "decisions")
FIRST_SYNC_DAYS = 365  # without --since and without an earlier sync: the last year


@dataclass(frozen=True)
class SyncOptions:
    council: str | None = None
    committees: tuple[str, ...] = ()  # ids or names; none: every committee that is not deleted
    since: str | None = None  # ISO dates
    until: str | None = None
    documents: tuple[str, ...] = DEFAULT_DOCUMENTS
    look_back_days: int = 120


@dataclass
class SyncReport:
    ingest: IngestReport = field(default_factory=IngestReport)
    source: str = "web service"  # or "meeting pages", "decision pages", "meeting and decision pages"
    meetings: int = 0  # fetched this run
    resumed: int = 0  # already done by the interrupted run this one completes
    requests: int = 0
    seconds: float = 0.0
    windows: dict[str, tuple[str, str]] = field(default_factory=dict)  # committee -> (from, to)
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        counts = [f"{self.ingest.count(s)} {s}" for s in ("added", "updated", "unchanged", "removed", "failed")
                  if self.ingest.count(s)]
        resumed = f" ({self.resumed} done before the interruption)" if self.resumed else ""
        unit = {"decision pages": "decisions", "meeting and decision pages": "meetings and decisions"}.get(
            self.source, "meetings")
        return (f"{self.meetings} {unit} read from the {self.source}{resumed}: {', '.join(counts) or 'nothing new'}; "
                f"{self.ingest.chunks_embedded} chunks embedded; {self.requests} requests in {self.seconds:.1f} s")


class SyncState:
    """What earlier runs did for one site, in a small JSON file written whole (temp file, rename)."""

    def __init__(self, path: Path, data: dict):
        self.path = path
        self.data = data

    @classmethod
    def load(cls, root: Path, base_url: str) -> SyncState:
        path = root / "sync" / (re.sub(r"[^A-Za-z0-9.-]+", "_", base_url.split("://", 1)[-1]).strip("_") + ".json")
        if not path.exists():
            return cls(path, {"base_url": base_url, "committees": {}, "meetings": {}})
        try:
            return cls(path, json.loads(path.read_text(encoding="utf-8")))
        except ValueError as exc:
            raise SyncError(f"{path}: sync state is not JSON ({exc}); delete it to sync from scratch") from None

    def synced_until(self, key: int | str) -> str | None:
        """The date up to which `key` (a committee id, or "decision-pages") was last synced."""
        return self.data["committees"].get(str(key), {}).get("synced_until")

    def mark_done(self, key: str) -> None:
        self.data.setdefault("run", {}).setdefault("done", []).append(key)

    @property
    def done(self) -> set[str]:
        return set(self.data.get("run", {}).get("done", []))

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.path.parent, prefix=".sync-", suffix=".tmp")
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(self.data, handle, indent=1, sort_keys=True)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, self.path)


def sync_moderngov(client: Client, library: Library, embedder: Embedder, options: SyncOptions = SyncOptions(), *,
                   progress: Progress = no_progress, today: date | None = None) -> SyncReport:
    started = time.perf_counter()
    report = SyncReport()
    library.reload_manifest()
    state = SyncState.load(library.root, client.base_url)
    if options.council:
        state.data["council"] = options.council
    elif state.data.get("council"):  # named once, kept: else a re-sync would strip it from every record
        options = replace(options, council=state.data["council"])
    else:
        report.notes.append("no --council given: the records name no council")
    try:
        try:
            committees = parse_committees(client.service("GetCommittees"))
        except ServiceDisabled as disabled:
            _sync_pages(client, library, embedder, options, state, report, progress, today, disabled)
        else:
            _sync_service(client, library, embedder, options, state, committees, report, progress, today)
    except ParseError as exc:
        raise SyncError(f"{client.base_url}: unexpected response ({exc})") from None
    finally:
        report.requests = client.requests
        report.seconds = time.perf_counter() - started
    library.lexical()  # rebuilt now, so the first question after the sync is fast
    return report


def _select(committees: list[Committee], wanted: tuple[str, ...], url: str) -> list[Committee]:
    if not wanted:
        return [c for c in committees if not c.deleted]
    chosen = []
    for name in wanted:
        match = [c for c in committees if str(c.id) == name.strip() or c.title.lower() == name.strip().lower()]
        if not match:
            match = [c for c in committees if name.strip().lower() in c.title.lower()]
        if len(match) != 1:
            known = "; ".join(f"{c.id} {c.title}" for c in committees[:40])
            why = "matches no committee" if not match else f"matches {len(match)} committees"
            raise SyncError(f"{url}: --committee {name!r} {why}; the site has: {known}")
        chosen.append(match[0])
    return list({c.id: c for c in chosen}.values())


def _window(options: SyncOptions, state: SyncState, key: int | str, today: date) -> tuple[str, str]:
    until = options.until or today.isoformat()
    if options.since:
        return options.since, until
    last = state.synced_until(key)
    if last:
        return (date.fromisoformat(last) - timedelta(days=options.look_back_days)).isoformat(), until
    return (today - timedelta(days=FIRST_SYNC_DAYS)).isoformat(), until


def _dmy(iso: str) -> str:
    return date.fromisoformat(iso).strftime("%d/%m/%Y")


def _sync_service(client: Client, library: Library, embedder: Embedder, options: SyncOptions, state: SyncState,
                  committees: list[Committee], report: SyncReport, progress: Progress, today: date | None) -> None:
    today = today or date.today()
    chosen = _select(committees, options.committees, client.base_url)
    plan: list[tuple[Committee, MeetingStub]] = []
    for committee in chosen:
        start, end = _window(options, state, committee.id, today)
        report.windows[committee.title] = (start, end)
        stubs = parse_meetings(client.service("GetMeetings", lCommitteeId=committee.id,
                                              sFromDate=_dmy(start), sToDate=_dmy(end)))
        plan += _in_window(committee, stubs, start, end)

    def fetch(committee: Committee, stub: MeetingStub, meeting_url: str):
        try:
            meeting = parse_meeting(client.service("GetMeeting", lMeetingId=stub.id))
            docs = meeting_documents(client, meeting, committee, meeting_url, options)
            kept: dict[str, list[str]] = {}
            if "reports" in options.documents:
                docs["reports"], kept["reports"] = _linked_documents(client, library, meeting, committee, options,
                                                                     report)
        except ParseError as exc:
            raise ParseError(f"GetMeeting: {exc}") from None
        return docs, kept

    _sync_plan(client, library, embedder, state, report, progress, plan, chosen, fetch)


def _in_window(committee: Committee, stubs, start: str, end: str) -> list[tuple[Committee, MeetingStub]]:
    # Filtered here too: some servers ignore the range they are sent.
    return [(committee, s) for s in stubs if start <= s.date <= end and s.status.lower() != "cancelled"]


def _sync_plan(client: Client, library: Library, embedder: Embedder, state: SyncState, report: SyncReport,
               progress: Progress, plan: list[tuple[Committee, MeetingStub]], chosen: list[Committee], fetch) -> None:
    """Each planned meeting in date order, skipped when an interrupted run already stored it, else
    `fetch(committee, stub, meeting_url)` -> (records by type, stored sources kept) and stored; then each
    committee's synced-until mark moves on, unless one of its meetings failed."""
    plan.sort(key=lambda cs: (cs[1].date, cs[1].id))
    done = state.done
    failed: set[int] = set()
    progress("meetings", 0, len(plan))
    for n, (committee, stub) in enumerate(plan, start=1):
        if str(stub.id) in done:
            report.resumed += 1
        else:
            meeting_url = client.url("ieListDocuments.aspx", CId=committee.id, MId=stub.id)
            try:
                docs, kept = fetch(committee, stub, meeting_url)
            except ParseError as exc:
                report.ingest.outcomes.append(FileOutcome(meeting_url, "failed", message=str(exc)))
                failed.add(committee.id)
                progress("meetings", n, len(plan))
                continue
            except SyncError as exc:
                left = len(plan) - n + 1
                raise SyncError(f"{exc} (stopped with {left} of {len(plan)} meetings to do; "
                                "run the same command again to resume)") from None
            _store_meeting(library, embedder, state, str(stub.id), docs, report, kept)
            report.meetings += 1
        progress("meetings", n, len(plan))
    for committee in chosen:
        start, end = report.windows[committee.title]
        last = state.synced_until(committee.id)
        # A window that starts after the last one ended would leave a gap: the mark stays put.
        if committee.id not in failed and (last is None or start <= last):
            state.data["committees"][str(committee.id)] = {"title": committee.title, "synced_until": max(end, last or end)}
    state.data.pop("run", None)
    state.save()


def _store_meeting(library: Library, embedder: Embedder, state: SyncState, key: str,
                   docs: dict[str, list[tuple[Document, list[str]]]], report: SyncReport,
                   kept: dict[str, list[str]] | None = None) -> None:
    """One meeting's records (by document type: only the types synced this run are given; `kept`
    are stored ones not read again), then its entry in the state: a run killed in between redoes
    the meeting, and its unchanged records cost a hash comparison only. A record the meeting no
    longer gives is removed."""
    ingest_documents([d for kind_docs in docs.values() for d in kind_docs], library, embedder, report.ingest)
    known = state.data["meetings"].setdefault(key, {})
    for kind, kind_docs in docs.items():
        sources = sorted([doc.source for doc, _ in kind_docs] + (kept or {}).get(kind, []))
        remove_documents(sorted(set(known.get(kind, [])) - set(sources)), library, report.ingest, "no longer published")
        known[kind] = sources
    state.mark_done(key)
    state.save()


def _document(source: str, text: str, meta: RecordMeta) -> Document:
    digest = hashlib.sha256(json.dumps({"text": text, "meta": meta.as_dict()}, sort_keys=True).encode()).hexdigest()
    return Document(hashlib.sha1(source.encode()).hexdigest()[:16], source, digest, (Page(1, text),), meta)


def _flags(item: AgendaItem) -> str | None:
    names = [name for name, on in (("decision", item.is_decision), ("restricted", item.is_restricted),
                                   ("call-in", item.is_callin)) if on]
    return ",".join(names) or None


def meeting_documents(client: Client, meeting: Meeting, committee: Committee, meeting_url: str,
                      options: SyncOptions) -> dict[str, list[tuple[Document, list[str]]]]:
    """The records of one meeting by document type: each item's minutes, its published decision,
    and a title-only record for each restricted (exempt) item, which is never read further."""
    docs: dict[str, list[tuple[Document, list[str]]]] = {kind: [] for kind in options.documents}
    for item in meeting.items:
        meta = RecordMeta(council=options.council, committee=committee.title, meeting_date=meeting.date,
                          item=item.display_number, title=item.title or None, minute=item.minute_number,
                          agenda_position=item.agenda_number, flags=_flags(item))
        item_url = f"{meeting_url}#AI{item.id}"
        if item.is_restricted:
            if "minutes" in options.documents and item.title:
                docs["minutes"].append((_document(item_url, item.title, replace(meta, kind="agenda")),
                                        ["restricted (exempt) item: title only"]))
            continue
        if "minutes" in options.documents and item.minutes_text:
            docs["minutes"].append((_document(item_url, item.minutes_text, replace(meta, kind="minutes")), []))
        if "decisions" in options.documents and item.decision_text:
            url = client.url("ieDecisionDetails.aspx", AIId=item.id)
            docs["decisions"].append((_document(url, item.decision_text, replace(meta, kind="decision")), []))
    return docs


def _linked_documents(client: Client, library: Library, meeting: Meeting, committee: Committee,
                      options: SyncOptions, report: SyncReport) -> tuple[list[tuple[Document, list[str]]], list[str]]:
    """Reports and other documents linked from the meeting's items (`--documents reports`), as new
    records, and the sources of those already stored. A document is stored under its attachment's
    URL; ModernGov gives a replaced document a new attachment id, so one already stored is not
    downloaded again. Documents of restricted items, restricted documents and links to other
    sites are never fetched."""
    new: list[tuple[Document, list[str]]] = []
    kept: list[str] = []
    elsewhere = 0
    for item in meeting.items:
        for linked in item.documents:
            if linked.restricted or not linked.url:
                continue
            if not client.same_site(linked.url):
                elsewhere += 1
                continue
            stored = library.manifest.documents.get(linked.url)
            if stored and stored.sha256 != CHANGING:  # a CHANGING one may have lost its passages: fetched again
                kept.append(linked.url)
                report.ingest.outcomes.append(FileOutcome(linked.url, "unchanged", stored.chunks))
                continue
            data = client.get(linked.url)
            if not data.startswith(b"%PDF-"):
                report.ingest.outcomes.append(FileOutcome(linked.url, "failed", message="not a PDF"))
                continue
            try:
                parsed = parse_pdf(data)
            except ParseError as exc:
                report.ingest.outcomes.append(FileOutcome(linked.url, "failed", message=str(exc)))
                continue
            title = linked.title.lower()
            kind = "minutes" if "minutes" in title else "agenda" if "agenda" in title else "report"
            meta = RecordMeta(council=options.council, committee=committee.title, meeting_date=meeting.date,
                              item=item.display_number, title=linked.title or item.title, kind=kind,
                              minute=item.minute_number, agenda_position=item.agenda_number)
            digest = hashlib.sha256(data + json.dumps(meta.as_dict(), sort_keys=True).encode()).hexdigest()
            new.append((Document(hashlib.sha1(linked.url.encode()).hexdigest()[:16], linked.url, digest,
                                 parsed.pages, meta), list(parsed.warnings)))
    if elsewhere:
        report.notes.append(f"meeting {meeting.id}: {elsewhere} linked document(s) not on the site being synced, "
                            "not fetched")
    return new, kept


def _decisions_url(client: Client, start: str, end: str) -> str:
    return client.url("mgDelegatedDecisions.aspx", DR=f"{_dmy(start)}-{_dmy(end)}", RP=0, K=0, DM=0, HD=0, DS=2,
                      Next="true", META="mgdelegateddecisions", V=0)


def _sync_decision_pages(client: Client, library: Library, embedder: Embedder, options: SyncOptions,
                         state: SyncState, report: SyncReport, progress: Progress, today: date | None,
                         disabled: ServiceDisabled) -> None:
    """Decisions from the pages when the web service is off: the decisions list for the window,
    then each decision's details page. Resumes like meetings do."""
    today = today or date.today()
    key = "decision-pages"
    start, end = _window(options, state, key, today)
    report.windows["decisions"] = (start, end)
    try:
        links = parse_decision_list(client.get(_decisions_url(client, start, end)))
    except SyncError as exc:
        raise _PagesMissing(str(exc)) from None
    wanted = [name.strip().lower() for name in options.committees]
    done = state.done
    progress("decisions", 0, len(links))
    for n, link in enumerate(links, start=1):
        if f"D{link.id}" in done:
            report.resumed += 1
        else:
            url = client.url("ieDecisionDetails.aspx", ID=link.id)
            try:
                decision = parse_decision_page(client.get(url))
            except ParseError as exc:
                report.ingest.outcomes.append(FileOutcome(url, "failed", message=str(exc)))
                progress("decisions", n, len(links))
                continue
            except SyncError as exc:
                raise SyncError(f"{exc} (stopped with {len(links) - n + 1} of {len(links)} decisions to do; "
                                "run the same command again to resume)") from None
            if wanted and not _decided_by(decision, wanted):
                state.mark_done(f"D{link.id}")  # another committee's: left as it is
                state.save()
            else:
                docs = {"decisions": [_decision_document(url, decision, options)]}
                _store_meeting(library, embedder, state, f"D{link.id}", docs, report)
            report.meetings += 1
        progress("decisions", n, len(links))
    last = state.synced_until(key)
    if last is None or start <= last:
        state.data["committees"][key] = {"title": "decision pages", "synced_until": max(end, last or end)}
    state.data.pop("run", None)
    state.save()


def _sync_pages(client: Client, library: Library, embedder: Embedder, options: SyncOptions, state: SyncState,
                report: SyncReport, progress: Progress, today: date | None, disabled: ServiceDisabled) -> None:
    """The web service is off: minutes from the meeting pages, decisions from the decision pages.
    Either kind of page may be missing too; only when nothing can be read is it an error."""
    report.notes.append(f"the web service is off ({disabled}); reading the web pages instead")
    unread = None
    if "minutes" in options.documents:
        if "reports" in options.documents:
            report.notes.append("reports are not read from the web pages, only through the web service")
        try:
            _sync_meeting_pages(client, library, embedder, options, state, report, progress, today)
            report.source = "meeting pages"
        except _PagesMissing as exc:
            unread = str(exc)
            report.notes.append(f"the meeting pages cannot be read ({exc})")
    if "decisions" in options.documents:
        try:
            report.source = "decision pages"
            _sync_decision_pages(client, library, embedder, options, state, report, progress, today, disabled)
            if unread is None and "minutes" in options.documents:
                report.source = "meeting and decision pages"
        except _PagesMissing as exc:
            meetings = f"the meeting pages cannot be read ({unread}), and " if unread else ""
            raise SyncError(f"{disabled}; {meetings}the decision pages cannot be read either ({exc})") from None
    elif unread is not None:
        raise SyncError(f"{disabled}; the meeting pages cannot be read either ({unread})")


class _PagesMissing(SyncError):
    """A site's listing page (committees, meetings, decisions) cannot be read: that fallback is out."""


def _committees_from_pages(client: Client, options: SyncOptions) -> list[Committee]:
    """Committees named by id need no listing; names are looked up on mgListCommittees.aspx."""
    wanted = [name.strip() for name in options.committees]
    if wanted and all(name.isdigit() for name in wanted):
        return [Committee(int(name), name, False, False) for name in dict.fromkeys(wanted)]
    url = client.url("mgListCommittees.aspx")
    try:
        committees = parse_committee_list(client.get(url))
    except (SyncError, ParseError) as exc:
        raise _PagesMissing(f"{url}: {exc}" if isinstance(exc, ParseError) else str(exc)) from None
    return _select(committees, options.committees, client.base_url)


def _sync_meeting_pages(client: Client, library: Library, embedder: Embedder, options: SyncOptions,
                        state: SyncState, report: SyncReport, progress: Progress, today: date | None) -> None:
    """Each committee's meetings from ieListMeetings.aspx (Year=0: every year, filtered here to the
    window), then each meeting's page; minutes cut short on it are read whole from mgAi.aspx.
    Records, ids, state and resuming are the web service's: the same item gives the same record."""
    today = today or date.today()
    minutes_only = replace(options, documents=("minutes",))
    plan: list[tuple[Committee, MeetingStub]] = []
    chosen = []
    for committee in _committees_from_pages(client, options):
        start, end = _window(options, state, committee.id, today)
        url = client.url("ieListMeetings.aspx", CId=committee.id, Year=0)
        try:
            title, stubs = parse_meeting_list(client.get(url))
        except SyncError as exc:
            raise _PagesMissing(str(exc)) from None
        if not stubs and not title:
            raise _PagesMissing(f"{url}: not a meetings list")
        if title and committee.title == str(committee.id):
            committee = replace(committee, title=title)
        chosen.append(committee)
        report.windows[committee.title] = (start, end)
        plan += _in_window(committee, stubs, start, end)

    def fetch(committee: Committee, stub: MeetingStub, meeting_url: str):
        page = parse_meeting_page(client.get(meeting_url), stub.id, stub.date, stub.status)
        meeting = page.meeting
        if page.cut_short:
            whole = {item_id: parse_item_page(client.get(client.url("mgAi.aspx", ID=item_id)))
                     for item_id in page.cut_short}
            meeting = replace(meeting, items=tuple(
                replace(item, minutes_text=whole[item.id]) if whole.get(item.id) else item for item in meeting.items))
        return meeting_documents(client, meeting, committee, meeting_url, minutes_only), {}

    _sync_plan(client, library, embedder, state, report, progress, plan, chosen, fetch)


def _decided_by(decision: Decision, wanted: list[str]) -> bool:
    where = f"{decision.meeting or ''} {decision.maker or ''}".lower()
    return any(name in where for name in wanted)


def _decision_document(url: str, decision: Decision, options: SyncOptions) -> tuple[Document, list[str]]:
    committee = decision.meeting.split(" - ", 1)[1].strip() if decision.meeting and " - " in decision.meeting \
        else decision.maker
    flags = ",".join(name for name, on in (("key decision", decision.key_decision), ("call-in", decision.call_in))
                     if on) or None
    meta = RecordMeta(council=options.council, committee=committee, meeting_date=decision.decided,
                      title=decision.title, kind="decision", flags=flags)
    return _document(url, decision.text, meta), []
