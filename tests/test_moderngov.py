"""`clerk sync moderngov` against a real HTTP server on 127.0.0.1 serving ModernGov fixtures:
the hand-written committee-year in tests/fixtures/moderngov, and the real responses in
../shared/corpus/dev/moderngov when they are beside the project. Nothing touches the internet."""
from __future__ import annotations

import itertools
import json
from dataclasses import replace
from pathlib import Path

import pytest
from moderngov_site import Site, eastbridge, eastbridge_pages, serve

from assistant.cli import main
from conftest import CORPUS, SHARED, needs_shared
from ingest.moderngov_client import Client, SyncError
from ingest.moderngov_parse import (
    clean_title,
    parse_decision_page,
    parse_meeting,
    uk_date,
)
from ingest.sync import SyncOptions, sync_moderngov

REAL = SHARED / "dev" / "moderngov"
CHILDREN = "Children and Young People Scrutiny Committee"
YEAR = SyncOptions(council="Eastbridge County Council", committees=(CHILDREN,), since="2024-01-01", until="2024-12-31")
FAST = 200.0  # requests a second, for tests that are not about the rate limit


@pytest.fixture
def site():
    state = eastbridge()
    server = serve(state)
    yield state
    server.shutdown()
    server.server_close()


def _sync(site: Site, assistant, options: SyncOptions = YEAR, rate: float = FAST, **client_args):
    with Client(site.url, rate=rate, **client_args) as client:
        return sync_moderngov(client, assistant.library, assistant.embedder, options)


def _records(assistant) -> dict[str, dict]:
    return {source: entry.meta for source, entry in assistant.library.manifest.documents.items()}


def test_a_committee_year_lands_with_numbers_dates_flags_and_source_urls(site, make_assistant):
    assistant = make_assistant()
    report = _sync(site, assistant)
    meeting = f"{site.url}/ieListDocuments.aspx?CId=210&MId="
    records = _records(assistant)
    assert set(records) == {
        meeting + "7010#AI30101", meeting + "7010#AI30104", meeting + "7010#AI30107",
        f"{site.url}/ieDecisionDetails.aspx?AIId=30104", meeting + "7011#AI30201", meeting + "7011#AI30205",
        meeting + "7013#AI30403"}
    strategy = records[meeting + "7010#AI30104"]
    assert (strategy["council"], strategy["committee"], strategy["meeting_date"]) == (
        "Eastbridge County Council", CHILDREN, "2024-01-15")
    # Three numbers: printed on the agenda, in the minutes, and the position in the agenda.
    assert (strategy["item"], strategy["minute"], strategy["agenda_position"]) == ("4", "44", "6")
    assert strategy["flags"] == "decision,call-in" and strategy["kind"] == "minutes"
    assert records[f"{site.url}/ieDecisionDetails.aspx?AIId=30104"]["kind"] == "decision"
    assert records[meeting + "7011#AI30201"]["title"] == "Chair's Announcements"  # encoded twice on the wire

    # The exempt item is there by title only, marked, and its body was never stored.
    exempt = records[meeting + "7010#AI30107"]
    assert exempt["flags"] == "decision,restricted" and exempt["kind"] == "agenda"
    chunks = list(assistant.library.store.iter_chunks())
    assert [c.text for c in chunks if c.source == meeting + "7010#AI30107"] == [
        "Residential Placement Framework Contract Award"]
    assert not any("EXEMPT-BODY" in c.text for c in chunks)

    # The call sequence: committees, the committee's meetings with dd/mm/yyyy dates, then each
    # meeting in range that was not cancelled. 7001 (2023, sent anyway) and 7012 (cancelled) are not asked for.
    assert site.requests() == [
        "/eastbridge/mgWebService.asmx/GetCommittees",
        "/eastbridge/mgWebService.asmx/GetMeetings?lCommitteeId=210&sFromDate=01/01/2024&sToDate=31/12/2024",
        *[f"/eastbridge/mgWebService.asmx/GetMeeting?lMeetingId={m}" for m in (7010, 7011, 7013, 7014)]]
    assert report.meetings == 4 and report.requests == 6 and report.ingest.count("added") == 7

    answer = assistant.ask("How many children were placed more than twenty miles from Eastbridge?")
    # The item's passages lead (its decision, indexed with the discussion before it, may come first).
    top = next(c for c in answer.citations[:2] if "38 children" in c.text)
    assert top.source == meeting + "7010#AI30104" and "38 children" in answer.text
    assert (top.item, top.minute, top.meeting_date) == ("4", "44", "2024-01-15")
    assert top.label().endswith(f"· minute 44 · item 4 · p. 1 — {meeting}7010#AI30104")


def test_a_second_sync_adds_nothing_and_a_changed_item_is_replaced(site, make_assistant):
    assistant = make_assistant()
    _sync(site, assistant)
    count, revision = assistant.library.store.count(), assistant.library.manifest.revision
    again = _sync(site, assistant)
    assert again.ingest.count("unchanged") == 7 and not again.ingest.count("added") and not again.ingest.count("updated")
    assert assistant.library.store.count() == count and assistant.library.manifest.revision == revision

    # Draft minutes corrected on approval: the same item, new text. Replaced, not added beside.
    key = ("GetMeeting", "7013")
    site.service[key] = site.service[key].replace(b"14 new fostering households", b"16 new fostering households")
    third = _sync(site, assistant)
    assert third.ingest.count("updated") == 1 and third.ingest.count("unchanged") == 6
    texts = [c.text for c in assistant.library.store.iter_chunks()]
    assert assistant.library.store.count() == count
    assert any("16 new fostering households" in t for t in texts) and not any("14 new fostering" in t for t in texts)

    # An item the site no longer publishes is removed.
    site.service[key] = site.service[key].replace(b"<agendaitems>", b"<agendaitems><!--").replace(
        b"</agendaitems>", b"--></agendaitems>")
    fourth = _sync(site, assistant)
    assert fourth.ingest.count("removed") == 1
    assert not any(s.endswith("MId=7013#AI30403") for s in assistant.library.manifest.documents)


def test_an_interrupted_sync_resumes_where_it_stopped(site, make_assistant):
    assistant = make_assistant()
    site.fail[("GetMeeting", "7013")] = (403, {}, b"Forbidden")
    with pytest.raises(SyncError, match=r"GetMeeting\?lMeetingId=7013: HTTP 403.*2 of 4 meetings to do.*resume"):
        _sync(site, assistant)
    stored = set(assistant.library.manifest.documents)
    assert len(stored) == 6 and not any("MId=7013" in s for s in stored)  # two whole meetings, nothing of the third
    state = json.loads(next((assistant.library.root / "sync").glob("*.json")).read_text())
    assert state["run"]["done"] == ["7010", "7011"]
    assert "210" not in state["committees"]  # not marked synced until the run completes

    del site.fail[("GetMeeting", "7013")]
    before = len(site.log)
    report = _sync(site, assistant)
    asked = site.requests(before)
    assert not any("lMeetingId=7010" in p or "lMeetingId=7011" in p for p in asked)
    assert [p for p in asked if "GetMeeting?" in p] == [f"/eastbridge/mgWebService.asmx/GetMeeting?lMeetingId={m}"
                                                        for m in (7013, 7014)]
    assert report.resumed == 2 and report.ingest.count("added") == 1
    assert len(assistant.library.manifest.documents) == 7
    chunk_ids = [c.chunk_id for c in assistant.library.store.iter_chunks()]
    assert len(chunk_ids) == len(set(chunk_ids))
    state = json.loads(next((assistant.library.root / "sync").glob("*.json")).read_text())
    assert "run" not in state and state["committees"]["210"]["synced_until"] == "2024-12-31"


def test_the_next_sync_asks_only_since_the_last_one_less_the_look_back(site, make_assistant):
    assistant = make_assistant()
    _sync(site, assistant)
    before = len(site.log)
    later = SyncOptions(committees=("210",), until="2025-02-01", look_back_days=120)  # the council is remembered
    report = _sync(site, assistant, later)
    # Synced to 2024-12-31 last time: from 120 days before that, so 7013 and 7014 are read again.
    assert report.windows[CHILDREN] == ("2024-09-02", "2025-02-01")
    assert site.requests(before)[1].endswith("sFromDate=02/09/2024&sToDate=01/02/2025")
    assert [p for p in site.requests(before) if "GetMeeting?" in p] == [
        f"/eastbridge/mgWebService.asmx/GetMeeting?lMeetingId={m}" for m in (7013, 7014)]
    assert [o.status for o in report.ingest.outcomes] == ["unchanged"] and not report.notes
    assert {m["council"] for m in _records(assistant).values()} == {"Eastbridge County Council"}


def test_reports_are_downloaded_once_and_exempt_ones_never(site, make_assistant):
    key = ("GetMeeting", "7010")
    site.service[key] = site.service[key].replace(b"http://127.0.0.1:9", site.url.encode())  # links on this site
    site.pages["mgConvert2PDF.aspx?ID=91001"] = (CORPUS / "eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf").read_bytes()
    site.pages["mgConvert2PDF.aspx?ID=91002"] = b"%PDF- the exempt appendix"
    assistant = make_assistant()
    options = SyncOptions(council="Eastbridge County Council", committees=("210",), since="2024-01-01",
                          until="2024-12-31", documents=("minutes", "reports"))
    report = _sync(site, assistant, options)
    pdf = f"{site.url}/mgConvert2PDF.aspx?ID=91001"
    assert [p for p in site.requests() if "mgConvert2PDF" in p] == ["/eastbridge/mgConvert2PDF.aspx?ID=91001"]
    meta = _records(assistant)[pdf]
    assert (meta["kind"], meta["item"], meta["minute"], meta["meeting_date"], meta["title"]) == (
        "report", "4", "44", "2024-01-15", "Sufficiency Strategy report")
    pages = {c.page for c in assistant.library.store.iter_chunks() if c.source == pdf}
    assert len(pages) > 1  # read page by page, so citations give the page
    assert report.ingest.count("added") == 7  # six items' minutes and the report; no decisions asked for

    before = len(site.log)
    again = _sync(site, assistant, options)
    assert not any("mgConvert2PDF" in p for p in site.requests(before)) and again.ingest.count("unchanged") == 7

    # `clerk ingest --prune` drops records whose files are gone; synced records have no file.
    pruned = assistant.ingest([], prune=True)
    assert not pruned.count("removed") and pdf in assistant.library.manifest.documents


def test_a_report_whose_removal_was_killed_midway_is_fetched_again(site, make_assistant):
    key = ("GetMeeting", "7010")
    site.service[key] = site.service[key].replace(b"http://127.0.0.1:9", site.url.encode())
    site.pages["mgConvert2PDF.aspx?ID=91001"] = (CORPUS / "eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf").read_bytes()
    assistant = make_assistant()
    options = SyncOptions(council="Eastbridge County Council", committees=("210",), since="2024-01-01",
                          until="2024-12-31", documents=("minutes", "reports"))
    _sync(site, assistant, options)
    pdf = f"{site.url}/mgConvert2PDF.aspx?ID=91001"
    entry = assistant.library.manifest.documents[pdf]
    # What a removal killed after deleting the passages leaves: its intent recorded, the passages gone.
    assistant.library.manifest.record_intent([pdf])
    assistant.library.store.delete_document(entry.doc_id)

    before = len(site.log)
    again = _sync(site, assistant, options)

    assert [p for p in site.requests(before) if "mgConvert2PDF" in p] == ["/eastbridge/mgConvert2PDF.aspx?ID=91001"]
    assert again.ingest.count("updated") == 1
    assert assistant.library.manifest.documents[pdf] == entry
    assert sum(c.source == pdf for c in assistant.library.store.iter_chunks()) == entry.chunks


def test_requests_keep_to_the_default_rate_limit(site, make_assistant):
    assistant = make_assistant()
    _sync(site, assistant, rate=2.0)
    times = [t for t, _ in site.log]
    assert len(times) == 6
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) > 0.45, gaps  # 2 a second: half a second apart, less scheduling jitter
    assert (len(times) - 1) / (times[-1] - times[0]) <= 2.05


def test_a_busy_server_is_retried_with_backoff(site, make_assistant):
    assistant = make_assistant()
    site.fail_once[("GetCommittees", "")] = (503, {}, b"busy")
    report = _sync(site, assistant, backoff=0.2)
    assert site.requests()[:2] == ["/eastbridge/mgWebService.asmx/GetCommittees"] * 2
    assert site.log[1][0] - site.log[0][0] >= 0.2
    assert report.requests == 7 and report.ingest.count("added") == 7


def test_a_request_that_times_out_is_retried(site, make_assistant):
    site.slow_once[("GetMeeting", "7011")] = 2.0
    report = _sync(site, make_assistant(), timeout=0.5, backoff=0.1)
    asked = [p for p in site.requests() if p.endswith("lMeetingId=7011")]
    assert len(asked) == 2 and report.requests == 7 and report.ingest.count("added") == 7


def _cli(site: Site, store: Path, *extra: str) -> int:
    return main(["sync", "moderngov", site.url, "--store", str(store), "--council", "Eastbridge County Council",
                 "--committee", "210", "--since", "01/01/2024", "--until", "2024-12-31", "--rate", str(FAST), *extra])


def _nothing_written(store: Path) -> bool:
    return not (store / "manifest.json").exists() and not (store / "sync").exists()


def test_cloudflare_403_is_one_clear_line_and_nothing_is_written(site, tmp_path, embedder, capsys):
    site.fail[("GetCommittees", "")] = (403, {"Server": "cloudflare", "CF-RAY": "8a1b2c3d"},
                                        b"<html><title>Attention Required! | Cloudflare</title></html>")
    store = tmp_path / "store"
    assert _cli(site, store) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(f"error: {site.url}/mgWebService.asmx/GetCommittees: HTTP 403: ")
    assert "Cloudflare" in err
    assert _nothing_written(store)
    assert len(site.log) == 1  # a refusal is not retried


@pytest.mark.parametrize("answer, says", [
    (None, "web service answered with a web page, not XML"),
    ((404, {}, b"Not Found"), "web service does not answer (HTTP 404)"),
    ((500, {}, b"<html>Runtime Error</html>"), "web service does not answer (HTTP 500)"),
])
def test_a_disabled_web_service_is_one_clear_line_and_nothing_is_written(site, tmp_path, embedder, capsys,
                                                                         answer, says):
    site.service_off = answer is None
    if answer:
        site.fail[("GetCommittees", "")] = answer
    store = tmp_path / "store"
    assert _cli(site, store) == 2
    err = capsys.readouterr().err.strip()
    assert "\n" not in err and err.startswith(f"error: {site.url}/mgWebService.asmx/GetCommittees: ") and says in err
    assert "decision pages cannot be read either" in err and "mgDelegatedDecisions.aspx" in err
    assert _nothing_written(store)


def test_cli_sync_prints_a_summary_and_a_rerun_is_a_no_op(site, tmp_path, embedder, capsys):
    store = tmp_path / "store"
    assert _cli(site, store) == 0
    out = capsys.readouterr().out
    assert "4 meetings read from the web service: 7 added" in out and "6 requests" in out
    assert _cli(site, store) == 0
    assert "7 unchanged" in capsys.readouterr().out


def test_bad_arguments_are_refused_in_one_line(site, tmp_path, capsys):
    assert _cli(site, tmp_path / "s", "--documents", "minutes,agendas") == 2
    assert capsys.readouterr().err.strip() == "error: --documents 'minutes,agendas': choose from minutes, decisions, reports"
    assert main(["sync", "moderngov", site.url, "--store", str(tmp_path / "s"), "--since", "last spring"]) == 2
    assert "--since 'last spring' is not a date" in capsys.readouterr().err
    assert not site.log


def test_an_unknown_committee_names_what_the_site_has(site, make_assistant):
    with pytest.raises(SyncError, match=r"--committee 'Planning' matches no committee; the site has: 210 Children"):
        _sync(site, make_assistant(), SyncOptions(committees=("Planning",)))


def test_parsing_quirks():
    assert clean_title("Chair&amp;#39;s  Communications ") == "Chair's Communications"
    assert uk_date("22&#47;10&#47;2015") == "2015-10-22" and uk_date("2015-10-22") is None


def test_meeting_pages_when_the_web_service_is_off(site, make_assistant):
    site.service_off = True
    site.pages = eastbridge_pages()
    assistant = make_assistant()
    options = replace(YEAR, committees=("210",), documents=("minutes",))
    report = _sync(site, assistant, options)
    meeting = f"{site.url}/ieListDocuments.aspx?CId=210&MId="
    records = _records(assistant)
    # The web service's sources and ids: the exempt item (no minutes on the page) and 7014 (none yet) give nothing.
    assert set(records) == {meeting + "7010#AI30101", meeting + "7010#AI30104", meeting + "7011#AI30201",
                            meeting + "7011#AI30205", meeting + "7013#AI30403"}
    strategy = records[meeting + "7010#AI30104"]
    assert (strategy["committee"], strategy["meeting_date"], strategy["title"], strategy["minute"], strategy["kind"]) == (
        CHILDREN, "2024-01-15", "Children in Care Sufficiency Strategy 2024-2027", "44", "minutes")
    assert records[meeting + "7011#AI30201"]["title"] == "Chair's Announcements"
    # Cut short on the meeting page; read whole from mgAi.aspx, without the page's "view the full minutes" link.
    text = "\n".join(c.text for c in assistant.library.store.iter_chunks() if c.source == meeting + "7010#AI30104")
    assert "38 children" in text and "view the full minutes" not in text
    assert report.source == "meeting pages" and report.meetings == 4 and report.ingest.count("added") == 5
    asked = site.requests()
    # 7001 (2023) and 7012 (cancelled) are listed but not read; a committee named by id needs no committee list.
    assert asked[1:] == ["/eastbridge/ieListMeetings.aspx?CId=210&Year=0",
                         *[f"/eastbridge/ieListDocuments.aspx?CId=210&MId={m}" for m in (7010,)],
                         "/eastbridge/mgAi.aspx?ID=30104",
                         *[f"/eastbridge/ieListDocuments.aspx?CId=210&MId={m}" for m in (7011, 7013, 7014)]]

    again = _sync(site, assistant, options)
    assert again.ingest.count("unchanged") == 5 and not again.ingest.count("added") and not again.ingest.count("updated")
    assert len(assistant.library.manifest.documents) == 5


def test_meeting_pages_give_the_same_records_as_the_web_service(site, make_assistant):
    """A committee named by title is looked up on mgListCommittees.aspx; an item read from the pages
    after the web service keeps its record (same source, same id): replaced, not added beside."""
    served, pages = make_assistant(), make_assistant()
    _sync(site, served, replace(YEAR, documents=("minutes",)))
    site.service_off = True
    site.pages = eastbridge_pages()
    _sync(site, pages, replace(YEAR, documents=("minutes",), committees=("children and young people",)))
    assert "/eastbridge/mgListCommittees.aspx" in site.requests()
    from_pages = {c.source: c.text for c in pages.library.store.iter_chunks()}
    from_service = {c.source: c.text for c in served.library.store.iter_chunks()}
    assert set(from_pages) <= set(from_service)
    assert len(from_pages) == 5
    assert all(from_pages[s] == from_service[s] for s in from_pages), "the pages' minutes differ from the service's"


def test_no_pages_either_is_one_clear_error(site, make_assistant):
    site.service_off = True
    with pytest.raises(SyncError, match=r"web service.*meeting pages cannot be read either.*mgListCommittees\.aspx: HTTP 404"):
        _sync(site, make_assistant(), replace(YEAR, documents=("minutes",)))


@needs_shared
def test_real_manchester_responses_sync_and_link_out_nowhere(site, make_assistant):
    site.service = {
        ("GetCommittees", ""): (REAL / "lgsf_minutes_committees.xml").read_bytes(),
        ("GetMeetings", "144"): (REAL / "lgsf_minutes_meetings.xml").read_bytes(),
        ("GetMeeting", "4966"): (REAL / "lgsf_minutes_meeting_no_minutes.xml").read_bytes(),
        ("GetMeeting", "4967"): (REAL / "lgsf_minutes_meeting_with_minutes.xml").read_bytes(),
    }
    assistant = make_assistant()
    options = SyncOptions(council="Manchester City Council", committees=("Audit Committee",), since="2026-01-01",
                          until="2026-03-31", documents=("minutes", "decisions", "reports"))
    report = _sync(site, assistant, options)
    records = _records(assistant)
    first = records[f"{site.url}/ieListDocuments.aspx?CId=144&MId=4967#AI18831"]
    assert (first["item"], first["minute"], first["agenda_position"], first["meeting_date"]) == ("1", "1", "4", "2026-02-10")
    work = records[f"{site.url}/ieListDocuments.aspx?CId=144&MId=4967#AI18833"]
    assert (work["item"], work["minute"], work["agenda_position"], work["title"]) == ("9", "9", "12", "Work Programme")
    assert len(records) == 2 and report.meetings == 1  # 4966 was cancelled: not asked for
    # The linked PDFs are on democracy.manchester.gov.uk, not the site being synced: not fetched.
    assert not any("mgConvert2PDF" in p for p in site.requests())
    assert any("not on the site being synced" in note for note in report.notes)


@needs_shared
def test_decision_pages_when_the_web_service_is_off(site, make_assistant):
    site.service_off = True
    site.pages = {
        "mgDelegatedDecisions.aspx": (REAL / "lgsf_decisions_modgov_decisions_list.html").read_bytes(),
        "ieDecisionDetails.aspx?ID=13567": (REAL / "lgsf_decisions_modgov_decision_detail.html").read_bytes(),
        "ieDecisionDetails.aspx?ID=13149": (REAL / "lgsf_decisions_modgov_decision_detail_no_documents.html").read_bytes(),
    }
    assistant = make_assistant()
    report = _sync(site, assistant, SyncOptions(council="Kirklees Council", since="2015-01-01", until="2026-12-31"))
    assert report.source == "decision pages" and report.meetings == 2
    assert any("DR=01/01/2015-31/12/2026" in p for p in site.requests())
    assert not any("mgIssueHistoryHome" in p for p in site.requests())  # the issue-history row is not a decision
    records = _records(assistant)
    policy = records[f"{site.url}/ieDecisionDetails.aspx?ID=13567"]
    assert (policy["meeting_date"], policy["committee"], policy["kind"], policy["flags"]) == (
        "2015-10-19", "Policy Committee", "decision", None)
    waste = records[f"{site.url}/ieDecisionDetails.aspx?ID=13149"]
    assert (waste["committee"], waste["flags"], waste["meeting_date"]) == (
        "Strategic Director for Environment", "key decision,call-in", "2026-08-04")
    again = _sync(site, assistant, SyncOptions(council="Kirklees Council", since="2015-01-01", until="2026-12-31"))
    assert again.ingest.count("unchanged") == 2 and not again.ingest.count("added")


@needs_shared
def test_real_decision_page_fields():
    decision = parse_decision_page((REAL / "lgsf_decisions_modgov_decision_multi_paragraph.html").read_bytes())
    assert decision.maker == "Service Director - Homes & Neighbourhoods"
    assert (decision.decided, decision.published) == ("2021-07-27", "2025-12-10")
    assert "regeneration of Berry Brow.\n\nThis decision was authorised" in decision.text
    meeting = parse_meeting((REAL / "lgsf_minutes_meeting_with_minutes.xml").read_bytes())
    assert meeting.items[0].minutes_text == "To approve the minutes of the meeting held on 25 November 2025 as a correct record."
