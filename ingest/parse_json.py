"""Structured minutes exported as JSON, one meeting a file, as meeting-management systems and
scrapers publish them (Legistar and Councilmatic event exports, CouncilDataProject events,
OpenCouncil, council portals): bytes in, one page out, with the meeting's title, committee,
council and date where the file names them.

No schema is assumed. The JSON is walked in its own order; ids, links, hashes, timestamps, numbers
and flags are left out and human text is kept. An object with a title (an agenda item) opens with a
heading, so the chunker cuts between items. An object that records a vote (a mover, a seconder,
named votes, a result) becomes one paragraph, "Motion: … Moved by X, seconded by Y. For (2): A, B.
Against (1): C. Result: carried.", which the decision finder keeps whole: a vote never leaves its motion.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date

from .dates import field_date
from .errors import ParseError
from .headings import is_heading
from .metadata import infer_kind
from .parse_text import decode
from .parsed import Parsed
from .records import DOCUMENT_KINDS, Page, RecordMeta
from .text import normalise

# Key names, as words joined in lower case once the words every key of an object starts with are
# dropped (Legistar's "EventItemMover" is an item's "mover", "VoteValueName" a vote's "valuename").
_TITLE = ("title", "heading", "subject", "itemtitle", "name", "mattername", "shorttitle")
_NUMBER = {"number", "no", "num", "itemnumber", "itemno", "itemnum", "agendanumber", "agendaitemnumber", "agendano"}
_TEXT = {"text", "body", "content", "description", "summary", "minutes", "minutestext", "notes", "note", "comment",
         "comments", "details", "discussion", "narrative", "transcript", "minutesnote", "agendanote", "actiontext",
         "statement", "remarks", "decision", "decisiontext", "resolution", "resolutiontext", "recommendation",
         "recommendations", "motion", "motiontext", "wording", "proposal", *_TITLE}
_MOTION_TEXT = ("motiontext", "motion", "resolution", "resolutiontext", "proposal", "wording", "actiontext", "text",
                "description", "body", "content")
_MOVER = {"mover", "movername", "movedby", "moved", "proposer", "proposername", "proposedby", "proposed"}
_SECONDER = {"seconder", "secondername", "secondedby", "seconded"}
_RESULT = {"result", "outcome", "passedflagname", "decision", "motionresult", "resultname", "disposition"}
_TALLY = {"tally", "votetally", "votecount"}
# A vote's value under these names may be anything ("Excused"); under "decision" or "position" only a
# vote word, so that a list of items and their decisions ("Approved") is not read as a roll call.
_VOTE_VALUE = {"vote", "value", "valuename", "votevalue", "votevaluename", "option", "choice", "cast", "votecast"}
_VOTE_WORD = {"decision", "position", "response"}
_VOTER = {"person", "personname", "name", "fullname", "voter", "votername", "member", "membername", "councillor",
          "councillorname", "councilor", "legislator", "official", "representative"}
_COUNT = {"count", "value", "total", "votes", "number"}
_FOR = {"for", "yes", "aye", "ayes", "yea", "yeas", "y", "approve", "infavor", "infavour", "favor", "favour", "support",
        "votesfor"}
_AGAINST = {"against", "no", "nay", "nays", "n", "reject", "oppose", "opposed", "votesagainst"}
_OTHER_VOTES = {"abstain", "abstained", "abstention", "abstentions", "present", "absent", "excused", "recused",
                "notvoting", "paired", "absentees"}
# The meeting's own fields, most telling name first.
_META = {
    "title": ("title", "meetingtitle", "name", "meetingname", "eventname", "eventtitle"),
    "committee": ("committee", "committeename", "committeetitle", "body", "bodyname", "decisionbody",
                  "decisionbodyname", "administrativebody", "organization", "organisation", "organizationname",
                  "organisationname", "board"),
    "council": ("council", "councilname", "municipality", "municipalityname", "jurisdiction", "jurisdictionname",
                "authority", "authorityname", "localauthority", "city", "cityname", "town", "county", "parish"),
    "meeting_date": ("date", "meetingdate", "eventdate", "start", "starttime", "startdate", "startdatetime", "datetime",
                     "sessiondatetime", "heldon", "meetingdatetime", "when"),
    "kind": ("kind", "documentkind", "documenttype", "doctype", "type"),
}

_KEY_WORDS = re.compile(r"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|\d+")
_ID_KEY = re.compile(r"(?:^|[_\W])(?:id|uid)$|[a-z0-9](?:Id|ID)$|guid|uuid", re.I)
_NOISE_KEY = re.compile(r"(?:url|uri|href|link|hash|checksum|etag|rowversion|modified|created|updated|timestamp|utc"
                        r"|mimetype|contenttype|email|phone|fax|colou?r|hex)$")
_TIMESTAMP = re.compile(r"\d{4}-\d{2}-\d{2}(?:[T ][\d:.]+)?(?:Z|[+-]\d{2}:?\d{2})?")
_HASH = re.compile(r"(?=[^ ]*\d)(?:[0-9a-fA-F-]{16,}|[A-Za-z0-9+/_-]{12,}={0,2})")
_FILE_NAME = re.compile(r"\S+\.(?:pdf|docx?|xlsx?|pptx?|html?|json|xml|csv|txt|mp4|mp3|jpe?g|png|gif)", re.I)


@dataclass(frozen=True)
class _Field:
    key: str  # as the file spells it
    name: str  # its words less the object's common prefix, joined in lower case: "mover"
    label: str  # the same words for a reader: "Matter type"
    value: object


def _fields(obj: dict) -> list[_Field]:
    """An object's fields, dropping the leading words at least half its keys share ("EventItem…"),
    so that one set of names serves every vendor's spelling."""
    words = {key: [w.lower() for w in _KEY_WORDS.findall(key)] or [key.lower()] for key in obj}
    prefix: list[str] = []
    while len(obj) > 1:
        counts: dict[tuple, int] = {}
        for w in words.values():
            if len(w) > len(prefix) + 1 and w[:len(prefix)] == prefix:
                counts[tuple(w[:len(prefix) + 1])] = counts.get(tuple(w[:len(prefix) + 1]), 0) + 1
        best = max(counts.items(), key=lambda kv: kv[1], default=None)
        if not best or best[1] * 2 < len(obj) or best[1] < 2:
            break
        prefix = list(best[0])

    def field(key: str, value) -> _Field:
        w = words[key][len(prefix):] if words[key][:len(prefix)] == prefix and len(words[key]) > len(prefix) else words[key]
        label = w[:-1] if len(w) > 1 and w[-1] == "name" else w  # Legistar's "AgendaStatusName" is the "Agenda status"
        return _Field(key, "".join(w), " ".join(label).capitalize(), value)

    return [field(key, value) for key, value in obj.items()]


def _noise(text: str) -> bool:
    """Ids, links, hashes, file names, timestamps, slugs and figures: nothing a reader would quote."""
    text = text.strip()
    if not re.search(r"[^\W\d_]", text) or text.lower() in ("true", "false", "null", "none", "n/a"):
        return True
    if re.match(r"(?:https?://|ftp://|www\.|mailto:)", text, re.I) or _TIMESTAMP.fullmatch(text):
        return True
    if " " in text:
        return False
    return bool(re.search(r"[@\\]|/.*/", text) or re.fullmatch(r"[a-z]+/[a-z0-9.+-]+", text)  # paths, mime types
                or _HASH.fullmatch(text) or _FILE_NAME.fullmatch(text)
                or re.fullmatch(r"[a-z0-9]+(?:[-_][a-z0-9]+)+|[A-Za-z0-9]+(?:_[A-Za-z0-9]+)+|#[0-9a-fA-F]{3,8}", text))


def _skipped(field: _Field) -> bool:
    value = field.value
    return (_ID_KEY.search(field.key) is not None or _NOISE_KEY.search(field.name) is not None or value is None
            or isinstance(value, (bool, int, float)) or (isinstance(value, str) and _noise(value))
            or (isinstance(value, (list, dict)) and not value))


def _prose(text: str) -> bool:
    return "\n" in text.strip() or len(text.split()) > 12


def _short(text: str) -> bool:
    """A name or a label, which reads well in a list ("Sponsors: Ann Lee, Bob Roe")."""
    return len(text.split()) <= 8 and not text.rstrip().endswith((".", "!", "?", ":", ";"))


def _name_of(value) -> str | None:
    """A person or body given as a string or as an object with a name."""
    if isinstance(value, str):
        return value.strip() if value.strip() and not _noise(value) else None
    if isinstance(value, dict):
        names = [f.value for f in _fields(value) if f.name in ("name", "fullname", "displayname", "title", "personname")]
        return next((n.strip() for n in names if isinstance(n, str) and n.strip() and not _noise(n)), None)
    if isinstance(value, list):
        names = [n for n in map(_name_of, value) if n]
        return " and ".join(names) if names and len(names) == len(value) else None
    return None


def _name_only(obj: dict) -> str | None:
    """The name of an object that says nothing else (a sponsor, an attachment, a body)."""
    kept = [f for f in _fields(obj) if not _skipped(f)]
    if len(kept) == 1 and kept[0].name in _TITLE and isinstance(kept[0].value, str) and _short(kept[0].value):
        return kept[0].value.strip()
    return None


def _vote_label(word: str) -> str | None:
    key = re.sub(r"[^a-z]", "", word.lower())
    if key in _FOR:
        return "For"
    if key in _AGAINST:
        return "Against"
    if key.startswith("abstain") or key in ("abstention", "abstentions", "present"):
        return "Abstain"
    return word.strip().capitalize() if key in _OTHER_VOTES else None


def _ballot(entry) -> tuple[str, str | int] | None:
    """(vote, voter) from {"person": {"name": …}, "decision": "Approve"} or {"VotePersonName": …,
    "VoteValueName": "Aye"}; (vote, count) from {"option": "yes", "value": 5}."""
    if not isinstance(entry, dict):
        return None
    vote = voter = count = None
    for f in _fields(entry):
        if isinstance(f.value, str) and 0 < len(f.value.split()) <= 4 and (
                f.name in _VOTE_VALUE or (f.name in _VOTE_WORD and _vote_label(f.value))):
            vote = vote or _vote_label(f.value) or f.value.strip()
        elif f.name in _VOTER and _name_of(f.value):
            voter = voter or _name_of(f.value)
        elif f.name in _COUNT and isinstance(f.value, int) and not isinstance(f.value, bool):
            count = f.value if count is None else count
        elif not _skipped(f):
            return None  # a ballot says who and how, nothing more: an object with more to say is not one
    return (vote, voter or count) if vote and (voter or count is not None) else None


def _grouped(pairs: list[tuple[str, str | int]]) -> dict[str, list[str | int]]:
    groups: dict[str, list] = {"For": [], "Against": [], "Abstain": []}
    for vote, who in pairs:
        groups.setdefault(vote, []).append(who)
    return {vote: whos for vote, whos in groups.items() if whos}


def _votes(value) -> dict[str, list[str | int]] | None:
    """Named votes or counts, by vote: a list of ballots, or {"for": [names] or a count, "against": …}."""
    if isinstance(value, list) and value:
        ballots = [_ballot(entry) for entry in value]
        return _grouped(ballots) if all(ballots) else None
    if isinstance(value, dict):
        return _tally(_fields(value), require_all=True)
    return None


def _tally(fields: list[_Field], require_all: bool = False) -> dict[str, list[str | int]] | None:
    """Votes kept under vote-named keys ("for", "against", "absent"): a list of names or a count each.
    One key says for or against, so an attendance list ("present", "absent") is not a vote, and names
    or two counts are given, so an item's number ("no": 5) is not one either."""
    pairs, used = [], 0
    for f in fields:
        label = _vote_label(f.name)
        if label is None:
            continue
        if isinstance(f.value, int) and not isinstance(f.value, bool):
            pairs.append((label, f.value))
        elif isinstance(f.value, list) and all(_name_of(v) for v in f.value):
            pairs.extend((label, _name_of(v)) for v in f.value)
        else:
            continue
        used += 1
    if not any(vote in ("For", "Against") for vote, _ in pairs) or (require_all and used < len(fields)) \
            or (used < 2 and not any(isinstance(who, str) for _, who in pairs)):
        return None
    return _grouped(pairs)


@dataclass(frozen=True)
class _Motion:
    fields: tuple[_Field, ...]  # what the paragraph says, written where the last of them stood: after the item's text
    text: str | None
    movers: str | None
    seconders: str | None
    votes: dict[str, list[str | int]]
    tally: str | None
    result: str | None

    def paragraph(self) -> str:
        def sentence(text: str) -> str:
            text = " ".join(text.split())  # one paragraph, so the motion is one passage with its vote
            return text if text.endswith((".", "!", "?", ":", ";")) else text + "."

        said = [f"Motion: {sentence(self.text)}" if self.text else "Motion:"]
        if self.movers:
            said.append(sentence(f"Moved by {self.movers}" + (f", seconded by {self.seconders}" if self.seconders else "")))
        elif self.seconders:
            said.append(sentence(f"Seconded by {self.seconders}"))
        for vote, whos in self.votes.items():
            names = [str(w) for w in whos if isinstance(w, str)]
            count = len(names) if names else sum(w for w in whos if isinstance(w, int))
            said.append(sentence(f"{vote} ({count}): {', '.join(names)}") if names else f"{vote} ({count}).")
        if self.tally and not self.votes:
            said.append(sentence(f"Tally: {self.tally}"))
        if self.result:
            said.append(f"Result: {sentence(self.result)}")
        return " ".join(said)


def _motion(fields: list[_Field]) -> _Motion | None:
    """The motion an object records, when it records a vote: named votes, a mover or a seconder, or
    a result beside the motion's text or tally."""
    used: list[_Field] = []
    votes: dict[str, list] = {}
    found: dict[str, str] = {}
    for f in fields:
        counted = _votes(f.value)
        if counted:
            votes.update(counted)
            used.append(f)
        elif f.name in _MOVER | _SECONDER and _name_of(f.value):
            found.setdefault("seconders" if f.name in _SECONDER else "movers", _name_of(f.value))
            used.append(f)
        elif f.name in _RESULT | _TALLY and isinstance(f.value, str) and len(f.value.split()) <= 6:
            found.setdefault("tally" if f.name in _TALLY else "result", f.value.strip())
            used.append(f)
    own = _tally([f for f in fields if f not in used])
    if own:
        votes.update(own)
        used += [f for f in fields if _vote_label(f.name) and isinstance(f.value, (list, int)) and f not in used]
    texts = [f for name in _MOTION_TEXT for f in fields if f.name == name and isinstance(f.value, str) and not _noise(f.value)]
    if not (votes or "movers" in found or "seconders" in found or ("result" in found and (texts or "tally" in found))):
        return None
    text = texts[0] if texts else None
    used = [f for f in fields if f in used or f is text]
    return _Motion(tuple(used), text.value if text else None, found.get("movers"), found.get("seconders"), votes,
                   found.get("tally"), found.get("result"))


def _heading(fields: list[_Field]) -> tuple[str | None, tuple[_Field, ...]]:
    """An agenda item's heading, "Active travel plan (Item 5)", as the chunker knows headings; for
    a title too long to be one, "Item 5" with the title after it. Returns the fields it uses up."""
    numbers = [f for f in fields if f.name in _NUMBER and isinstance(f.value, (str, int)) and not isinstance(f.value, bool)]
    number = re.sub(r"(?i)^(?:agenda\s+)?item\s+", "", str(numbers[0].value)).strip().rstrip(".") if numbers else ""
    titles = [f for name in _TITLE for f in fields if f.name == name and isinstance(f.value, str)]
    for title in titles:
        heading = f"{' '.join(title.value.split())} (Item {number})" if number else title.value.strip()
        if is_heading(heading):
            return heading, (title, *numbers[:1])
    return (f"Item {number}", tuple(numbers[:1])) if titles and number else (None, ())


class _Writer:
    """The page, paragraph by paragraph, in the order the file gives its fields."""

    def __init__(self) -> None:
        self.paragraphs: list[str] = []
        self.seen: set[str] = set()
        self.items = self.motions = 0

    def add(self, text: str) -> None:
        key = " ".join(text.split())
        if key and key not in self.seen:  # CouncilDataProject repeats an item's name and text in its matter
            self.seen.add(key)
            self.paragraphs.append(text.strip())

    def value(self, label: str | None, value) -> None:
        if isinstance(value, dict):
            self.object(value, label)
        elif isinstance(value, list):
            self.sequence(label, value)
        elif isinstance(value, str) and not _noise(value):
            self.add(value if label is None or _prose(value) else f"{label}: {value.strip()}")

    def sequence(self, label: str | None, items: list) -> None:
        names = [(_name_only(i) if isinstance(i, dict) else i.strip() if isinstance(i, str) and _short(i) else None)
                 for i in items if not (isinstance(i, str) and _noise(i))]
        if names and all(names):  # names and labels read as one line: "Sponsors: Ann Lee, Bob Roe"
            self.add(f"{label}: {', '.join(names)}" if label else ", ".join(names))
            return
        for item in items:
            self.value(label, item)

    def object(self, obj: dict, label: str | None = None, skip: frozenset[str] = frozenset()) -> None:
        name = _name_only(obj)
        if name:
            self.add(f"{label}: {name}" if label else name)
            return
        fields = [f for f in _fields(obj) if f.key not in skip]
        heading, used = _heading([f for f in fields if not _skipped(f) or (f.name in _NUMBER and not _ID_KEY.search(f.key))])
        if heading:
            self.items += 1
            self.add(heading)
        motion = _motion([f for f in fields if not _ID_KEY.search(f.key) and f not in used])
        for f in fields:
            if motion and f in motion.fields:
                if f is motion.fields[-1]:
                    self.motions += 1
                    self.paragraphs.append(motion.paragraph())  # never deduplicated: "Result: Carried."
            elif f not in used and not _skipped(f):
                # Text speaks for itself; a word or two needs its label: "Decision: Deferred".
                said = f.name in _TEXT and isinstance(f.value, str) and len(f.value.split()) > 3
                self.value(None if said else f.label, f.value)


def _meeting(data):
    """The meeting inside the usual wrappers: {"meeting": {…}}, {"data": {…}}, [{…}]."""
    while True:
        if isinstance(data, list) and len(data) == 1:
            data = data[0]
        elif isinstance(data, dict) and len(data) == 1 and isinstance(next(iter(data.values())), (dict, list)):
            data = next(iter(data.values()))
        else:
            return data


def _meta_fields(meeting: dict) -> dict[str, _Field]:
    """The meeting's own title, committee, council, date and kind fields. A date may sit one level
    down (CouncilDataProject's sessions[0].session_datetime)."""
    fields = _fields(meeting)
    found: dict[str, _Field] = {}
    for what, names in _META.items():
        for name in names:
            hit = next((f for f in fields if f.name == name and _meta_value(what, f.value)), None)
            if hit:
                found[what] = hit
                break
    if "meeting_date" not in found:
        for f in fields:
            inner = f.value[0] if isinstance(f.value, list) and f.value else f.value
            dated = [g for g in _fields(inner) if g.name in _META["meeting_date"]] if isinstance(inner, dict) else []
            hit = next((g for g in dated if _meta_value("meeting_date", g.value)), None)
            if hit:
                found["meeting_date"] = hit
                break
    return found


def _meta_value(what: str, value) -> str | None:
    if what == "meeting_date":
        return field_date(value) if isinstance(value, (str, int, float)) else None
    if what == "kind":
        return value.strip().lower() if isinstance(value, str) and value.strip().lower() in DOCUMENT_KINDS else None
    name = _name_of(value)
    if not name:
        return None
    if "\n" in name or len(name.split()) > (30 if what == "title" else 15):
        return None
    return name if what == "title" or not name.endswith((".", "!", "?")) else None  # a "body" of text is no committee


def parse_json(data: bytes) -> Parsed:
    text, warnings = decode(data)
    try:
        document = json.loads(text)
    except ValueError as exc:
        hint = "; one record a line belongs in a .jsonl file" if "Extra data" in str(exc) else ""
        raise ParseError(f"not valid JSON ({exc}){hint}") from None
    except RecursionError:
        raise ParseError("JSON nested too deeply") from None
    meeting = _meeting(document)
    used = _meta_fields(meeting) if isinstance(meeting, dict) else {}
    values = {what: _meta_value(what, f.value) for what, f in used.items()}
    writer = _Writer()
    # The meeting's title, council, committee and date open the page; the rest follows in the file's order.
    for line in (values.get("title"), *(f"{label}: {values[what]}" for what, label in
                                        (("council", "Council"), ("committee", "Committee")) if values.get(what))):
        if line:
            writer.add(line)
    if values.get("meeting_date"):
        held = date.fromisoformat(values["meeting_date"])
        writer.add(f"Meeting date: {held.day} {held:%B %Y}")
    try:
        if isinstance(meeting, dict):
            writer.object(meeting, skip=frozenset(f.key for f in used.values()))
        else:
            writer.value(None, meeting)
    except RecursionError:
        raise ParseError("JSON nested too deeply") from None
    page = normalise("\n\n".join(writer.paragraphs))
    if not page:
        raise ParseError("no text found in the JSON")
    kind = values.get("kind") or ("minutes" if writer.motions else None)
    if not (values.get("meeting_date") or writer.items or writer.motions
            or infer_kind(page) in ("minutes", "agenda", "decision")):
        raise ParseError("not a meeting: no meeting date, agenda items or motions found in the JSON")
    meta = RecordMeta(council=values.get("council"), committee=values.get("committee"),
                      meeting_date=values.get("meeting_date"), title=values.get("title"), kind=kind)
    return Parsed(pages=(Page(1, page),), warnings=tuple(warnings), meta=meta)
