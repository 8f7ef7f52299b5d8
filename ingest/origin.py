"""The council a record comes from and the body it was for, from what the record says about itself:
its title area, its running headers, an Ofsted report's title line, a minutes' opening line, a
report's "To:" line. Never from a signatory ("Sue Chandler, Cabinet Member for …" is a person), never
from a council the text merely mentions ("a Member of Swale Borough Council"). Unknown stays None.

Pure functions over a record's pages and the running lines its parser dropped.
"""
from __future__ import annotations

import re
from collections import Counter

from assistant.councils import canonical, official

from .dates import find_dates
from .records import Page

TOP = 600  # characters of the first page that hold its title area: council, body, meeting
_TYPES = ("County Borough", "Metropolitan Borough", "Metropolitan District", "County", "Borough", "City", "District",
          "Parish", "Town", "Community", "Village")
# A name's word; "Council" ends a name, never continues one. Accented letters count ("Dún Laoghaire-Rathdown").
_UPPER = "A-ZÀ-ÖØ-Þ"
_LETTER = "A-Za-zÀ-ÖØ-öø-ÿ"
_WORD = rf"(?!Council\b)[{_UPPER}][{_LETTER}'’&-]+"
_UPPER_WORD = rf"(?!COUNCIL\b)[{_UPPER}][{_UPPER}'’&-]+"
_TYPED = re.compile(rf"\b((?:{_WORD}[ ]+(?:(?:and|upon|on|in|under|with)[ ]+)?){{1,4}}(?:{'|'.join(_TYPES)})[ ]+Council)\b")
_TYPED_UPPER = re.compile(rf"\b((?:{_UPPER_WORD}[ ]+(?:(?:AND|UPON|ON|IN|UNDER|WITH)[ ]+)?){{1,4}}"
                          rf"(?:{'|'.join(t.upper() for t in _TYPES)})[ ]+COUNCIL)\b")
# "Norfolk Council", "BCP Council", "London Borough of Camden": counted only when the table knows them.
_PLAIN = re.compile(rf"\b((?:{_WORD}[ ,]+(?:and[ ]+)?){{1,5}}Council|(?:London|Royal) Borough of(?: {_WORD}){{1,3}}"
                    rf"(?: (?:and|upon) {_WORD})?)\b")
_PLAIN_UPPER = re.compile(rf"\b((?:{_UPPER_WORD}[ ,]+(?:AND[ ]+)?){{1,5}}COUNCIL)\b")
# The place's own words are capitalised: "the Council of the City of Vancouver was held" names Vancouver.
_COUNCIL_OF_THE = re.compile(r"\b(?i:Council of the (City|County|Borough|Town) of) ([A-Z][A-Za-z-]+(?: [A-Z][A-Za-z-]+)?)")
# "Inspection of Bournemouth, Christchurch and Poole local authority children’s services", however wrapped;
# "Focused visit to Eastbridge County Council children's services".
_OFSTED = re.compile(r"(?:Inspection of|visit to)\s+(?:the\s+)?(.{2,80}?)\s+(?:local\s+authority\s+)?children['’]s\s+"
                     r"services", re.I | re.S)
# Councils abroad name themselves as places: "City of Toronto", "The Corporation of the Town of Oakville",
# "The Regional Municipality of Durham", "HALIFAX REGIONAL MUNICIPALITY". Read in the title area only, where
# a record names itself; a "Municipal District of …" is a body of a county council, not a council.
_PLACE_TYPES = r"(?:Regional\s+)?(?:City|Town|Township|Village|County|District|Municipality)"
_NOT_PLACE = (r"(?!(?:Council|Minutes|Meeting|Agenda|Committee|Regular|Special|Regional|January|February|March|April|May"
              r"|June|July|August|September|October|November|December)\b)")
_PLACE_NAME = rf"{_NOT_PLACE}[{_UPPER}][{_LETTER}'’.-]+(?:[ ]{_NOT_PLACE}[{_UPPER}][{_LETTER}'’.-]+){{0,2}}"
_PLACE_OF = (re.compile(rf"(?<!Municipal )\b({_PLACE_TYPES}\s+of\s+{_PLACE_NAME})", re.I),
             re.compile(rf"\b((?!The\b){_PLACE_NAME}\s+Regional\s+Municipality)\b", re.I))
_ANNUAL_MEETING = re.compile(r"\b([A-Z][\w'’-]+(?: [A-Z][\w'’-]+){0,3}) Annual (Parish|Town) Meeting\b")
# Words that open a phrase rather than belong to the name in it, and meeting kinds that are not in a name
# ("West Dereham Extraordinary Parish Council" is West Dereham Parish Council).
_LEADING_NOISE = {"inspection", "minutes", "of", "the", "meeting", "a", "an", "in", "at", "for", "to", "and", "by",
                  "draft", "extraordinary", "annual", "virtual", "agenda", "monthly", "ordinary", "special", "regular",
                  "statutory", "plenary", "quarterly", "budget", "proceedings", "containing", "report", "council", "page",
                  "official", "publication", "subject", "from", "record", "this", "that", "our", "each", "every",
                  "any", "both", "other", "january", "february", "march", "april",
                  "may", "june", "july", "august", "september", "october", "november", "december"}
_TYPE_WORDS = {t.lower() for t in " ".join(_TYPES).split()}
_MEETING_KINDS = re.compile(r"\b(?:extraordinary|annual|ordinary|special|virtual|draft|monthly|regular|statutory|plenary)\s+(?=(?:\w+\s+)?council\b)", re.I)
# A person just before a council's name: "Cllr Martin Storey, Norfolk County Council", "Cllr Fenwick (Eastbridge …".
_PERSON_BEFORE = re.compile(r"(?:\b(?:Cllr|Councillor|Mr|Mrs|Ms|Miss|Dr)\.?\s+(?:[A-Z][\w.'’-]*\s+){0,3}[A-Z][\w'’-]*"
                            r"|\b[A-Z][a-z]+\s+[A-Z][\w'’-]+)\s*[,(]\s*$")
_ACRONYM = re.compile(r"(?<![\w&])[A-Z][A-Z&]{1,5}(?![\w&])")

_BODY_WORDS = r"(?:Committee|Sub-Committee|Subcommittee|Panel|Board|Cabinet|Forum|Commission|Council|Assembly|Executive|Partnership|Group)"
_BODY_END = re.compile(rf"\b{_BODY_WORDS}$", re.I)
_ONE_WORD_BODIES = {"cabinet", "council", "executive"}
# Roles and people, which are not bodies: "Sue Chandler, Cabinet Member for …", "Deputy Leader and Cabinet".
_NOT_A_BODY = re.compile(r"\b(?:Cabinet Member|Members|Member for|Portfolio Holder|Leader|Director|Officer|Chair(?:man)?"
                         r"|Councillors?|Cllr|Mayor|Meeting of)\b|^(?:Mr|Mrs|Ms|Miss|Dr)\b|^[A-Z][\w'’-]+(?: [A-Z][\w'’-]+){1,3},",
                         re.I)
_MODERNGOV_DECIDED = re.compile(r"^Decided at meeting:\s*\d{1,2}/\d{1,2}/\d{4}\s*-\s*([^\n]+)", re.M)
_TO = re.compile(r"^(?:Report\s+)?To:\s*([^\n]+(?:\n\n?[^\n]+)?)", re.M | re.I)
_REPORT_TO = re.compile(rf"\b(?:report|paper|appendix [A-Z0-9]+) to the ((?:[A-Z][\w'’&-]*,? (?:(?:and|&|of|for|on) )?){{0,7}}{_BODY_WORDS})\b")
_MINUTES_OF = re.compile(
    r"minutes of (?:the |a |an )?(?:(?:annual|extraordinary|ordinary|special|virtual)\s+)?(?:meeting of (?:the )?)?"
    rf"((?:(?!\bheld\b)[^\n]){{3,90}}?{_BODY_WORDS})\b", re.I)


def _top(pages: tuple[Page, ...]) -> str:
    return pages[0].text[:TOP] if pages else ""


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _tidy(name: str) -> str | None:
    """A council's name without the words around it ("DRAFT STOKE FERRY PARISH COUNCIL"), or None when
    what is left is no name ("District and Borough Council", "the County Council")."""
    words = _MEETING_KINDS.sub("", _one_line(name)).strip(" ,.-–").split(" ")
    while len(words) > 1 and words[0].lower() in _LEADING_NOISE:
        words.pop(0)
    return None if words[0].lower() in _TYPE_WORDS else canonical(" ".join(words))


def _council_at(match: re.Match, typed: bool) -> tuple[int, str | None]:
    """Where a matched name starts and the council it stands for: a UK principal council by its
    official name (trying the name without its leading words: "Report of Norfolk Council"), else, for
    a name with a council type ("Stoke Ferry Parish Council"), the name itself."""
    group = match.group(1)
    starts = [w.start() for w in re.finditer(r"\S+", group)]
    for start in starts[:-1]:
        name = official(group[start:])
        if name:
            return match.start(1) + start, name
    return match.start(1), _tidy(group) if typed else None


def _councils_in(text: str) -> list[str]:
    """Councils a passage names, in order, each name once however many patterns read it, leaving out
    those named as a person's council."""
    spans = []
    for pattern, typed in ((_TYPED, True), (_TYPED_UPPER, True), (_PLAIN, False), (_PLAIN_UPPER, False)):
        for match in pattern.finditer(text):
            start, name = _council_at(match, typed)
            line_start = text.rfind("\n", 0, start) + 1
            if name and not _PERSON_BEFORE.search(text[line_start:start]):
                spans.append((start, match.end(), name))
    for match in _COUNCIL_OF_THE.finditer(text):  # "the Council of the City of Cleveland"
        name = f"{match.group(2)} {match.group(1)} Council"
        spans.append((match.start(), match.end(), canonical(name.upper() if match.group(2).isupper() else name)))
    found, reached = [], -1
    for start, end, name in sorted(spans, key=lambda s: (s[0], -s[1])):
        if start >= reached:  # not inside a longer name already read
            reached = end
            found.append(name)
    return found


def _ofsted_council(text: str) -> str | None:
    """The council an Ofsted report's title names: a UK council by its official name, another ("Eastbridge
    County Council") as printed; not a bare place Clerk does not know as a council."""
    for match in _OFSTED.finditer(text):
        named = _one_line(match.group(1))
        council = official(named) or (canonical(named) if named.lower().endswith(" council") else None)
        if council:
            return council
    return None


def _named_throughout(pages: tuple[Page, ...]) -> str | None:
    """The council a record names itself by page after page ("KCC", "Kent County Council"), when it
    names one far more than any other: at least three times, half as often again as the next, and in
    half of its council names. One mention is not enough: minutes name other councils in passing."""
    text = "\n".join(p.text for p in pages)
    counts = Counter(_councils_in(text))
    counts.update(name for token in _ACRONYM.findall(text) if not re.search(r"[AEIOU]", token)
                  and (name := official(token)))
    if not counts:
        return None
    (top, n), *rest = counts.most_common()
    second = rest[0][1] if rest else 0
    return top if n >= 3 and 2 * n >= 3 * second and 2 * n >= sum(counts.values()) else None


def record_council(pages: tuple[Page, ...], running: tuple[str, ...] = ()) -> str | None:
    """The council a record is from: its Ofsted title line, else the first council its title area or
    running headers name, else the council it names itself by throughout."""
    top, headers = _top(pages), "\n".join(running)
    annual = _ANNUAL_MEETING.search(top)
    if annual:  # "Minutes of Stoke Ferry Annual Parish Meeting": the parish's meeting of its electors
        return canonical(f"{annual.group(1)} {annual.group(2)} Council")
    for text in (_one_line(top), _one_line(headers)):
        ofsted = _ofsted_council(text)
        if ofsted:
            return ofsted
    for text in (top, headers):
        named = _councils_in(text)
        if named:
            return named[0]
    for text in (top, headers):
        place = _place_council(text)
        if place:
            return place
    return _named_throughout(pages)


def _place_council(text: str) -> str | None:
    """A council named as a place ("City of Toronto"): a UK council by its official name when the table
    knows the form ("City of Westminster"), any other as printed."""
    for match in (m for pattern in _PLACE_OF for m in pattern.finditer(text)):
        name = _one_line(match.group(1))
        words = name.split(" ")
        of = [i for i, w in enumerate(words) if w.lower() == "of"]
        named = words[of[0] + 1:] if of else words[:-2]
        if all(w[:1].isupper() for w in named):  # a name, not "the county of residence"
            return canonical(name)
    return None


def body_name(text: str) -> str | None:
    """A committee or other body as a record names it, or None when the text is not one: a person, a
    role, a sentence. A date or dash after the name is dropped ("CORPORATE PARENTING PANEL– 29 October")."""
    text = _one_line(text)
    dated = find_dates(text)
    if dated:
        text = text[:dated[0][0]]
    text = re.split(r"\s+(?:Date|Time|Venue):|\s*[–—]\s*|\s+-\s+|,\s+(?=\d)", text, maxsplit=1)[0].strip(" ,.-–")
    words = _MEETING_KINDS.sub("", text).split(" ")
    while len(words) > 1 and words[0].lower() in _LEADING_NOISE - {"council"}:
        words.pop(0)
    text = " ".join(words)
    if not text or len(words) > 10 or re.search(r"[.:;!?()]", text) or _NOT_A_BODY.search(text):
        return None
    if not _BODY_END.search(text) or (len(words) == 1 and text.lower() not in _ONE_WORD_BODIES):
        return None
    return canonical(text)


def _title_lines(pages: tuple[Page, ...]) -> list[str]:
    """The first page's opening lines, where a record prints its council and body before anything else."""
    paragraphs = [p for p in (pages[0].text.split("\n\n") if pages else []) if p.strip()][:4]
    return [line for p in paragraphs for line in p.split("\n") if 0 < len(line.strip()) <= 90]


def record_committee(pages: tuple[Page, ...], running: tuple[str, ...] = (), council: str | None = None) -> str | None:
    """The body a record is of or for: a ModernGov decision's meeting, the meeting a report goes to
    ("To: Cabinet – 30 January 2025"), the body whose minutes these are, a title line naming a body,
    a running header naming one. Never the council itself, and never a person."""
    top = _top(pages)
    annual = _ANNUAL_MEETING.search(top)
    if annual:
        return f"Annual {annual.group(2)} Meeting"
    first = pages[0].text[:1500] if pages else ""
    candidates = [m.group(1) for m in (_MODERNGOV_DECIDED.search(first), _TO.search(first),
                                       _REPORT_TO.search(top), _MINUTES_OF.search(top)) if m]
    candidates += _title_lines(pages) + list(running)
    for candidate in candidates:
        name = body_name(candidate)
        # "COMHAIRLE CONTAE CHORCAÍ CORK COUNTY COUNCIL", a bilingual cover: the council again, no body of it.
        if name and not (council and name.lower().endswith(council.lower())):
            return name
    return None


def cover_date(pages: tuple[Page, ...]) -> str | None:
    """The date of the meeting a report goes to, from its cover's "To:" line."""
    to = _TO.search(pages[0].text[:1500]) if pages else None
    dates = find_dates(to.group(1)) if to else []
    return dates[0][1] if dates else None


def title_date(pages: tuple[Page, ...], running: tuple[str, ...] = ()) -> str | None:
    """A date printed in a record's title area ("CORPORATE PARENTING PANEL – 10th December 2024") or,
    failing that, in a running header ("COUNTY COUNCIL … Thursday 13 March 2025")."""
    for text in (_top(pages)[:300], "\n".join(running)):
        dates = find_dates(text)
        if dates:
            return dates[0][1]
    return None
