"""ModernGov responses to plain dataclasses: the web service's XML (GetCommittees, GetMeetings,
GetMeeting) and the decision pages. Pure functions: bytes in, dataclasses out; no I/O.

Quirks handled here, seen in real responses: booleans are the strings "True"/"False"; counts and
empty elements carry white space; dates are dd/mm/yyyy; titles can be HTML-encoded twice
("Chair&amp;#39;s"); item bodies are HTML escaped inside the XML; decision pages write dates
as 22&#47;10&#47;2015.
"""
from __future__ import annotations

import html
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date

from .errors import ParseError
from .parse_html import parse_html


@dataclass(frozen=True)
class Committee:
    id: int
    title: str
    deleted: bool
    expired: bool


@dataclass(frozen=True)
class MeetingStub:
    id: int
    committee_id: int
    date: str  # ISO
    status: str  # Confirmed, Cancelled, ...


@dataclass(frozen=True)
class LinkedDoc:
    attachment_id: int
    title: str
    url: str
    restricted: bool


@dataclass(frozen=True)
class AgendaItem:
    id: int
    title: str
    agenda_number: str | None  # agendaitemnumber: the position in the agenda
    display_number: str | None  # fulldisplaynumberformat without its dot: what the agenda prints
    minute_number: str | None  # minutesitemnumber
    minutes_text: str  # plain text, empty when none is published (or the item is restricted)
    decision_text: str  # plain text of a published decision, else empty
    is_decision: bool
    is_restricted: bool
    is_callin: bool
    documents: tuple[LinkedDoc, ...]


@dataclass(frozen=True)
class Meeting:
    id: int
    date: str  # ISO
    status: str
    minutes_published: bool
    items: tuple[AgendaItem, ...]


@dataclass(frozen=True)
class DecisionLink:
    id: int
    title: str


@dataclass(frozen=True)
class Decision:
    title: str
    text: str  # the page's text, navigation dropped
    status: str | None
    maker: str | None
    key_decision: bool
    call_in: bool
    decided: str | None  # ISO date of decision
    published: str | None
    meeting: str | None  # "19/10/2015 - Policy Committee" as the page links it
    meeting_cid: int | None


def flag(value: str | None) -> bool:
    return (value or "").strip() == "True"


def _text(el: ET.Element, name: str) -> str:
    return (el.findtext(name) or "").strip()


def _int(el: ET.Element, name: str) -> int:
    raw = _text(el, name)
    if not raw.isdigit():
        raise ParseError(f"<{name}> is {raw!r}, not a number")
    return int(raw)


def uk_date(raw: str) -> str | None:
    """"10/02/2026" (or "22&#47;10&#47;2015") -> "2026-02-10"; None when it is not such a date."""
    match = re.fullmatch(r"(\d{1,2})/(\d{1,2})/(\d{4})", html.unescape(raw or "").strip())
    if not match:
        return None
    try:
        return date(int(match[3]), int(match[2]), int(match[1])).isoformat()
    except ValueError:
        return None


def clean_title(raw: str) -> str:
    """Decoded until stable (some servers encode titles twice), white space collapsed."""
    text = raw or ""
    for _ in range(3):
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return re.sub(r"\s+", " ", text).strip()


def html_text(fragment: str) -> str:
    """Plain paragraphs of an HTML fragment (an item's minutes body, already XML-unescaped once)."""
    if not fragment.strip():
        return ""
    return parse_html(fragment.encode("utf-8")).pages[0].text


def _root(data: bytes, expected: str) -> ET.Element:
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ParseError(f"not XML ({exc})") from None
    if root.tag != expected:
        raise ParseError(f"expected <{expected}>, got <{root.tag}>")
    return root


def parse_committees(data: bytes) -> list[Committee]:
    root = _root(data, "committees")
    return [Committee(_int(c, "committeeid"), clean_title(_text(c, "committeetitle")),
                      flag(c.findtext("committeedeleted")), flag(c.findtext("committeeexpired")))
            for c in root.findall("committee")]


def parse_meetings(data: bytes) -> list[MeetingStub]:
    root = _root(data, "getmeetings")
    stubs = []
    for committee in root.findall("committee"):
        cid = _int(committee, "committeeid")
        for m in committee.findall("committeemeetings/meeting"):
            when = uk_date(_text(m, "meetingdate"))
            if when:  # a meeting without a readable date cannot be placed in a range or cited
                stubs.append(MeetingStub(_int(m, "meetingid"), cid, when, _text(m, "meetingstatus")))
    return stubs


def _number(raw: str) -> str | None:
    return raw.strip().rstrip(".").strip() or None


def _item(el: ET.Element) -> AgendaItem:
    restricted = flag(el.findtext("isrestricted"))
    docs = tuple(LinkedDoc(_int(d, "attachmentid"), clean_title(_text(d, "title")), _text(d, "url"),
                           flag(d.findtext("isrestricted")))
                 for d in el.findall("linkeddocuments/linkeddoc") if _text(d, "attachmentid").isdigit())
    decision_published = flag(el.findtext("isdecisionpublished"))
    return AgendaItem(
        id=_int(el, "agendaitemid"),
        title=clean_title(_text(el, "agendaitemtitle")),
        agenda_number=_number(_text(el, "agendaitemnumber")),
        display_number=_number(_text(el, "fulldisplaynumberformat")),
        minute_number=_number(_text(el, "minutesitemnumber")),
        # An exempt item's body is never read, even if the server sent one.
        minutes_text="" if restricted else html_text(el.findtext("minutesnonemptyhtmlbody") or ""),
        decision_text="" if restricted or not decision_published
        else html_text(el.findtext("decisionnonemptyhtmlbody") or ""),
        is_decision=flag(el.findtext("isdecision")),
        is_restricted=restricted,
        is_callin=flag(el.findtext("iscallin")),
        documents=() if restricted else docs,
    )


def parse_meeting(data: bytes) -> Meeting:
    root = _root(data, "meeting")
    when = uk_date(_text(root, "meetingdate"))
    if not when:
        raise ParseError(f"meeting date {_text(root, 'meetingdate')!r} is not dd/mm/yyyy")
    return Meeting(_int(root, "meetingid"), when, _text(root, "meetingstatus"), flag(root.findtext("minutepublished")),
                   tuple(_item(el) for el in root.findall("agendaitems/agendaitem")))


def parse_decision_list(data: bytes) -> list[DecisionLink]:
    """Rows of a decisions list (mgDelegatedDecisions.aspx) that link a decision; issue-history
    rows and the like are not decisions and are passed over."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data.decode("utf-8", errors="replace"), "html.parser")
    links = []
    for a in soup.select("table.mgTabTable td a[href]"):
        match = re.search(r"ieDecisionDetails\.aspx\?ID=(\d+)", a["href"], re.IGNORECASE)
        if match:
            for hidden in a.select(".mgHide"):
                hidden.decompose()
            links.append(DecisionLink(int(match[1]), clean_title(a.get_text(" "))))
    return list({link.id: link for link in links}.values())


def parse_decision_page(data: bytes) -> Decision:
    """ieDecisionDetails.aspx: the title, the `span.mgLabel` fields, and the page text."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup(data.decode("utf-8", errors="replace"), "html.parser")
    heading = soup.select_one("h2.mgSubTitleTxt")
    if heading is None:
        raise ParseError("no decision title (h2.mgSubTitleTxt): not a decision details page")
    fields: dict[str, str] = {}
    meeting_cid = None
    for label in soup.select("span.mgLabel"):
        name = label.get_text(" ", strip=True)
        whole = label.parent.get_text(" ", strip=True)
        fields[name.rstrip(":").strip().lower()] = whole[len(name):].strip() if whole.startswith(name) else whole
        link = label.parent.find("a", href=re.compile(r"ieListDocuments\.aspx", re.IGNORECASE))
        match = re.search(r"CId=(\d+)", link["href"], re.IGNORECASE) if link else None
        if match:
            meeting_cid = int(match[1])
    text = parse_html(data).pages[0].text
    return Decision(
        title=clean_title(heading.get_text(" ")), text=text, status=fields.get("decision status"),
        maker=fields.get("decision maker"), key_decision=fields.get("is key decision?", "").lower() == "yes",
        call_in=fields.get("is subject to call in?", "").lower() == "yes",
        decided=uk_date(fields.get("date of decision", "")), published=uk_date(fields.get("publication date", "")),
        meeting=fields.get("decided at meeting"), meeting_cid=meeting_cid)


# The HTML pages, read when the web service is switched off. Their shapes are taken from public
# scrapers' saved copies and code (a Kingston "Browse meetings" page and meeting page), not from a
# live site: ieListMeetings.aspx lists meetings as `a.mgMeetingTableLnk` links to
# ieListDocuments.aspx?CId=..&MId=.. reading "15 Jan 2026 7:30 pm", with " - CANCELLED" after a
# cancelled one; the meeting page's `table.mgItemTable` has a row per item: `td.mgItemNumberCell`
# holding `<a name="AI51890">` and the printed number, then a cell with `p.mgAiTitleTxt` (the title)
# and `p.mgSubItemTitleTxt` headings ("Minutes:", "Decision:") each followed by `div.mgWordPara`.
# Long minutes are cut short on the meeting page, ending in a link to mgAi.aspx?ID=<item id>.


@dataclass(frozen=True)
class PageMeeting:
    meeting: Meeting
    cut_short: tuple[int, ...]  # items whose minutes end in "view the full minutes text" (mgAi.aspx)


def _soup(data: bytes):
    from bs4 import BeautifulSoup

    return BeautifulSoup(data.decode("utf-8", errors="replace"), "html.parser")


def _visible_text(el) -> str:
    for hidden in el.select(".mgHide, .mgFileSize"):
        hidden.decompose()
    return clean_title(el.get_text(" "))


def parse_committee_list(data: bytes) -> list[Committee]:
    """mgListCommittees.aspx: links to mgCommitteeDetails.aspx?ID=.."""
    committees = {}
    for a in _soup(data).select("a[href]"):
        match = re.search(r"mgCommitteeDetails\.aspx\?ID=(\d+)", a["href"], re.IGNORECASE)
        title = _visible_text(a)
        if match and title and int(match[1]) not in committees:
            committees[int(match[1])] = Committee(int(match[1]), title, False, False)
    if not committees:
        raise ParseError("no links to mgCommitteeDetails.aspx: not a committee list")
    return list(committees.values())


def _page_date(raw: str) -> str | None:
    """"15 Jan 2026 7:30 pm" (or "15 January 2026") -> "2026-01-15"."""
    from datetime import datetime

    match = re.search(r"(\d{1,2})\s+([A-Za-z]+)\s+(\d{4})", raw)
    if not match:
        return None
    try:
        return datetime.strptime(f"{match[1]} {match[2][:3]} {match[3]}", "%d %b %Y").date().isoformat()
    except ValueError:
        return None


def parse_meeting_list(data: bytes) -> tuple[str | None, list[MeetingStub]]:
    """ieListMeetings.aspx: the committee's title (h2.mgSubTitleTxt) and its meetings."""
    soup = _soup(data)
    heading = soup.select_one("h2.mgSubTitleTxt")
    stubs: dict[int, MeetingStub] = {}
    for a in soup.select("a[href]"):
        match = re.search(r"ieListDocuments\.aspx\?CId=(\d+)&(?:amp;)?MId=(\d+)", a["href"], re.IGNORECASE)
        when = _page_date(html.unescape(a.get_text(" ")).replace("\xa0", " ")) if match else None
        if not when:  # a link without a date (the constitution, say) is not a meeting
            continue
        row = a.find_parent("li") or a.find_parent("tr") or a.parent
        status = "Cancelled" if "cancelled" in row.get_text(" ").lower() else "Confirmed"
        stubs.setdefault(int(match[2]), MeetingStub(int(match[2]), int(match[1]), when, status))
    return (clean_title(heading.get_text(" ")) if heading else None), list(stubs.values())


def _sections(cell) -> dict[str, str]:
    """The `p.mgSubItemTitleTxt` headings of an item ("minutes", "decision") -> their HTML."""
    found = {}
    for head in cell.select("p.mgSubItemTitleTxt"):
        body = head.find_next_sibling()
        if body is not None and body.name == "div" and "mgWordPara" in (body.get("class") or []):
            found.setdefault(head.get_text(" ", strip=True).rstrip(":").strip().lower(), str(body))
    return found


def _cut_short(fragment: str) -> bool:
    return bool(re.search(r"mgAi\.aspx\?ID=\d+", fragment, re.IGNORECASE))


def parse_meeting_page(data: bytes, meeting_id: int, when: str, status: str = "Confirmed") -> PageMeeting:
    """ieListDocuments.aspx?CId=..&MId=..: the items of `table.mgItemTable`. The page prints one
    number per item: the minute number once minutes are published (Kingston's page numbers its
    items 54., 55. ... and its minutes speak of "agenda 9"), else the agenda number."""
    soup = _soup(data)
    table = soup.select_one("table.mgItemTable")
    if table is None:
        raise ParseError("no table.mgItemTable: not a meeting page")
    items, cut = [], []
    for row in table.find_all("tr"):
        number_cell = row.find("td", class_="mgItemNumberCell")
        anchor = number_cell.find("a", attrs={"name": re.compile(r"^AI\d+$")}) if number_cell else None
        cells = row.find_all("td", recursive=False)
        if anchor is None or len(cells) < 2:
            continue
        item_id = int(anchor["name"][2:])
        number = _number(number_cell.get_text(" ", strip=True))
        title_el = cells[1].find("p", class_="mgAiTitleTxt")
        sections = _sections(cells[1])
        minutes = sections.get("minutes", "")
        if minutes and _cut_short(minutes):
            cut.append(item_id)
            # The "... view the full minutes text" link is the page's, not the minutes'.
            minutes = re.sub(r"(&nbsp;|\s)*\.\.\.(&nbsp;|\s)*<a [^>]*mgAi\.aspx.*?</a>", "", minutes,
                             flags=re.IGNORECASE | re.DOTALL)
        text = html_text(minutes)
        decision = html_text(sections.get("decision", ""))
        items.append(AgendaItem(
            id=item_id, title=_visible_text(title_el) if title_el else "",
            agenda_number=None, display_number=None if text else number, minute_number=number if text else None,
            minutes_text=text, decision_text=decision, is_decision=bool(decision), is_restricted=False,
            is_callin=False, documents=()))
    return PageMeeting(Meeting(meeting_id, when, status, any(i.minutes_text for i in items), tuple(items)), tuple(cut))


def parse_item_page(data: bytes) -> str:
    """mgAi.aspx?ID=..: an item's whole minutes (under its "Minutes:" heading); empty when none."""
    minutes = _sections(_soup(data)).get("minutes", "")
    return html_text(minutes)
