"""Recognising decisions in record text: RESOLVED blocks and their variants. Pure functions.

A decision is found where it is announced ("RESOLVED:", "Resolved That:", "RESOLVED – to note",
"Decision:", "I agree to:", "It was agreed that", "the following Resolutions were adopted"), where a
vote is recorded ("proposed … seconded … all in favour", "For (39) … Against (19)", "Motion carried"),
or where US legislation passed on a roll call ("Res. No. 80-17 … Adopted. Yeas 16. Nays 0."). It runs
on over its numbered parts and the note of who proposed it, and stops at a heading, a "Label: value"
line, another item's number or the next decision.
"""
from __future__ import annotations

import re

from .headings import is_heading
from .records import Decision
from .text import paragraph_spans, sentences

# Where a decision is announced. Lower-case "resolved" is ordinary prose ("issues being resolved")
# unless "it was" comes before it.
_OPENER = re.compile(
    r"\bRESOLVED\b|\bResolved\b(?=\s*(?:[:–—-]|[Tt]hat\b|to\b|\())|\b[Ii]t was (?:unanimously )?resolved\b"
    r"|(?m:^[ \t]*(?:Decision|DECISION|Decisions?|AGREED|Agreed)\s*:)|\bI agree to\b"
    r"|\b(?:The rules were suspended and )?the following (?:Resolutions? )?(?:was|were) adopted\b"
    r"|\b[Ii]t was (?:also |further |then )?(?:unanimously )?(?:agreed|decided)\b"
    r"|\b(?:(?:The|Parish|All) )*(?:Council|Councillors|Members|Committee|Panel) (?:present )?(?:unanimously |all )?"
    r"(?:agreed|approved|decided)\b(?= (?:that|to|the)\b)")
# A recorded vote or a proposer's note: "(Cllr X proposed, Cllr Y seconded, all were in favour)",
# "Prop. GK, 2nd JR, All agreed.", "For (39) … Against (19) … Abstain (1)", "Motion carried."
_VOTE = re.compile(
    r"\bseconded\b|\b2nd\b|\b(?:all|were|was|unanimously) in favou?r\b|\bunanimous(?:ly)?\b|\bmotion (?:was )?(?:carried|lost|fell)\b"
    r"|\bAgainst\s*\(?\d+|\bFor\s*\(\d+\)|\bAll agreed\b", re.I)
_PROPOSED = re.compile(r"\bpropos(?:ed|er)\b|\bProp\.?\s|\bmoved\b", re.I)
_VOTE_NOTE = re.compile(
    r"\s*(?:\([^()]{0,300}?\b(?:proposed|seconded|favou?r|against|abstain\w*|agreed|carried|unanimous\w*)\b[^()]{0,300}\)\.?"
    r"|_?Prop\.?[^.\n]{0,80}?(?:All agreed|carried)\.?_?)", re.I)
# The words that announce a decision, up to where its parts begin ("Resolved That: The Commission:").
_ANNOUNCEMENT = re.compile(
    r"^.*?(?:RESOLVED|Resolved|resolved|Decision|DECISION|Agreed|AGREED|agree to|agreed|adopted)\b\s*(?:[:–—-]\s*)?", re.S)
_PART = re.compile(r"^\s*(?:\(?\d{1,2}[.)]|\(?[a-h][.)]|\(?[ivx]{1,5}[.)]|[·•◼▪-])\s*(?=\S)")
_INLINE_PART = re.compile(r"(?:(?<=\s)|(?<=[:;,.-])|(?<=and)|(?<=or))\((\d{1,2}|[ivx]{1,5}|[a-h])\)\s*(?=[A-Za-z])"
                          r"|(?:(?<=\s)|(?<=[:;]))(\d{1,2}|[ivx]{1,5})\.\s*(?=[A-Za-z])")
_DANGLING_PART = re.compile(r"(?<=[.;])\s+\(?(?:\d{1,2}|[ivx]{1,5}|[a-h])[.)]$")
_OPENS_PART = re.compile(r"[:;,]\s*\(?(?:\d{1,2}|[ivx]{1,5}|[a-h])[.)]$")  # "… to:i." split off its part
_ROMAN = ["i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix", "x", "xi", "xii"]
# Glued sentences in flattened minutes: "… for assurance.At the conclusion of the meeting …"
_GLUED_END = re.compile(r"(?<=[a-z0-9)])\.(?=[A-Z][A-Za-z]+[\s:])")
_OUTCOME = re.compile(r"(?:The )?(?:(?:substantive )?motion|amendment|recommendations?)? ?(?:was |were )?"
                      r"(?:carried|lost|fell|agreed)\b", re.I)
_LEGISLATION_PASSED = re.compile(r"\b(Adopted|Passed)\.\s+Yeas\s+(\d+)\.\s+Nays\s+(\d+)\.")
_LEGISLATION_LABEL = re.compile(r"\b(?:Res|Ord)\.\s+No\.\s+\d+-\d+\.")
# A motion and its vote in one paragraph, as structured minutes are written out (ingest/parse_json.py):
# "Motion: That … Moved by X, seconded by Y. For (2): A, B. Against (1): C. Result: carried." The whole
# paragraph is one decision, its part the motion's text: cut at a sentence, the vote would leave its motion.
_MOTION_BLOCK = re.compile(r"Motion:\s*(.*?)\s*(?=\b(?:Moved|Seconded) by\b|\b(?:For|Against|Abstain) \(\d+\)|\b(?:Result|Tally):)",
                           re.S)
_MOTION_FAILED = re.compile(r"\bResult:\s*(?:lost|fail(?:ed)?|fell|defeated|rejected|not carried|withdrawn)\b", re.I)
_NAMED_VOTE = re.compile(r"\b(For|Against|Abstain) \((\d+)\)[:.]")
_LABEL = re.compile(r"^[A-Z][^:\n]{1,40}:\s+\S")  # "Publication date: 22/10/2015" ends a decision page's text
_STOP = re.compile(r"^\s*(?:Supporting documents|Accompanying Documents|Reasons? for|Alternative options|"
                   r"Outstanding for Action|POST MEETING NOTE|Publication date|Date of decision)\b", re.I)
_NOTES = re.compile(r"\bnot(?:e|ed|es|ing)\b|\breceived\b|\bfor information\b", re.I)
_ACTIONS = {
    "approved": r"\bapprov\w*|\bpassed\b|\badopted\b",
    "agreed": r"\bagree\w*",
    "endorsed": r"\bendors\w*",
    "delegated": r"\bdelegat\w*",
    "recommended": r"\brecommend\w*",
    "refused": r"\brefus\w*|\breject\w*|\bmotion (?:was )?(?:lost|fell)\b",
    "deferred": r"\bdefer\w*",
    "granted": r"\bgrant(?:ed)?\b",
    "appointed": r"\bappoint\w*",
}
# Business every meeting transacts: kept searchable, left out of the precedent list.
_PROCEDURAL = re.compile(
    r"\bminutes\b[^.]{0,200}\b(?:approv|agreed|confirm|accept|sign|true|correct)\w*|\btrue (?:and accurate )?record\b"
    r"|\b(?:accept|approv|sign)\w*(?: of)? (?:the )?(?:last |previous )?[\w ]{0,40}minutes\b|\bcorrect record\b|\bapologies\b|\bdeclarations? of (?:pecuniary |other )?interests?\b"
    r"|\bdate of the next meeting\b", re.I)
_PROCEDURAL_HEADING = re.compile(
    r"^\W*(?:\d+(?:/\d+)?\W*)?(?:apologies|declarations?|(?:approval of|to approve|confirmation of|to confirm) (?:the )?minutes"
    r"|minutes of (?:the )?(?:last|previous)|matters arising|date of (?:the )?next)", re.I)  # not "Minutes:", ModernGov's label


def _continues(paragraph: str, opened_bare: bool, numbered: bool) -> bool:
    """Whether a paragraph after a decision's first one still belongs to it."""
    if _VOTE_NOTE.match(paragraph) or _OUTCOME.match(paragraph) or (_VOTE.search(paragraph) and len(paragraph.split()) <= 12):
        return True  # "For (39) Against (19) Abstain (1)", "Motion carried." (short, so they look like headings)
    if is_heading(paragraph) or _STOP.match(paragraph) or _OPENER.match(paragraph):
        return False
    if (_PART.match(paragraph) and (opened_bare or numbered)) or paragraph.startswith(("That ", "that ")):
        return True  # a numbered paragraph after "RESOLVED: (1) …" is part (2), after a plain one the next item
    return opened_bare and not _LABEL.match(paragraph)


def _sentence_end(text: str, start: int, limit: int) -> int:
    """The end of the sentence that starts at `start`, going on over parts ("to: (i) agree …; and
    (ii) delegate …") and the proposer's note."""
    end = start
    for s, e in sentences(text[start:limit]):
        piece = text[start + s:start + e]
        so_far = text[start:end].rstrip()
        # A numbered piece continues a decision only one that announced numbered parts: in flattened
        # minutes "… as Vice-Chairman. 4. Approval of Minutes" starts the next item.
        numbered = (_INLINE_PART.match(piece) or _PART.match(piece)) and _INLINE_PART.search(so_far)
        listed = piece.startswith(("Res. No.", "Ord. No.")) and "following" in so_far  # Cleveland's lists
        opens_list = so_far.endswith((":", ";", ",", " and", " or")) or _OPENS_PART.search(so_far)
        if end > start and not (opens_list or numbered or listed):
            break
        if end > start and (_OPENER.search(piece) or _STOP.match(piece)):
            break
        end = start + e
    dangling = _DANGLING_PART.search(text, start, end)  # "… be let. vi." ends with the next part's number
    if dangling:
        end = dangling.start()
    for glued in _GLUED_END.finditer(text, start, end):
        if not _OPENS_PART.search(text, start, glued.end()):  # "to:i.Agree" numbers a part
            return glued.end()
    note = _VOTE_NOTE.match(text, end, limit)
    return note.end() if note else end


def _block_end(text: str, start: int, paragraphs: list[tuple[int, int]], limit: int) -> int:
    """Where a decision that starts at `start` ends (exclusive), not past `limit`."""
    here = next(i for i, (s, e) in enumerate(paragraphs) if s <= start < e or start < s)
    p_start, p_end = paragraphs[here]
    opened_bare = len(text[start:p_end].split()) <= 4  # "RESOLVED:", "Decision:", "Resolved: (For information only)"
    # Sentence by sentence within its paragraph; on into the next paragraphs only when it fills its own.
    end = _sentence_end(text, start, min(p_end, limit))
    if end < p_end:
        return end
    end = min(p_end, limit)
    for s, e in paragraphs[here + 1:]:
        numbered = bool(_INLINE_PART.search(text, start, end) or _PART.match(_ANNOUNCEMENT.sub("", text[start:end], count=1)))
        if s >= limit or not _continues(text[s:e], opened_bare or text[start:end].rstrip().endswith(":"), numbered):
            break
        if len(text[s:e].split()) > 150 and not _PART.match(text[s:e]):
            break  # a long flattened page after a bare "Decision:" is the record, not the decision
        end = e
        opened_bare = opened_bare and not _PART.match(text[s:e])
    return end


def _vote_starts(text: str) -> list[tuple[int, int]]:
    """Decisions recorded only by their vote, as (start, vote): the sentence proposing it, or the
    one before a bare "(… seconded …)" note or "Motion carried" line."""
    starts = []
    paragraphs = paragraph_spans(text)
    for n, (p_start, p_end) in enumerate(paragraphs):
        paragraph = text[p_start:p_end]
        spans = sentences(paragraph)
        for i, (s, e) in enumerate(spans):
            piece = paragraph[s:e]
            if not _VOTE.search(piece) or not (_PROPOSED.search(piece) or re.search(r"favou?r|carried|For\s*\(|All agreed", piece, re.I)):
                continue
            bare_note = piece.lstrip().startswith(("(", "_Prop", "Prop", "For ", "Motion")) or len(piece.split()) < 8
            if bare_note and i:
                starts.append((p_start + spans[i - 1][0], p_start + s))
            elif bare_note and n:  # "For (39) Against (19)" on a line of its own: the motion is above
                starts.append((paragraphs[n - 1][0], p_start + s))
            else:
                starts.append((p_start + s, p_start + s))
    return starts


def _numbered_run(markers: list[re.Match]) -> list[re.Match]:
    """The markers that number a list: (1) (2) (3), (i) (ii), (a) (b), not "part (ii) of the decision"."""
    run: list[re.Match] = []
    for m in markers:
        label = (m[1] or m[2]).lower()
        if not run:
            if label in ("1", "i", "a"):
                run.append(m)
            continue
        previous = (run[-1][1] or run[-1][2]).lower()
        if (previous.isdigit() and label == str(int(previous) + 1)) or (
                previous in _ROMAN and _ROMAN.index(previous) + 1 < len(_ROMAN) and label == _ROMAN[_ROMAN.index(previous) + 1]) \
                or (len(previous) == 1 and previous.isalpha() and label == chr(ord(previous) + 1)):
            run.append(m)
    return run


def _parts(body: str) -> tuple[str, ...]:
    """The numbered parts of a decision ("1. That …", "(i) agree …"), or the whole as one part.
    The announcement ("RESOLVED:", "Resolved That: The Commission:") and vote notes are not parts."""
    lines = [p.strip() for p in body.split("\n\n") if p.strip() and not _VOTE_NOTE.fullmatch(p.strip())]
    first = _ANNOUNCEMENT.sub("", lines[0], count=1).strip()
    if not first or (first.endswith(":") and not _PART.match(first)) or first.startswith("("):
        lines = lines[1:] if not _PART.match(first) else [first, *lines[1:]]
    else:
        lines = [first, *lines[1:]]
    if lines and all(_PART.match(p) for p in lines):
        return tuple(_PART.sub("", p, count=1).strip() for p in lines)
    whole = "\n\n".join(lines)
    inline = _numbered_run(list(_INLINE_PART.finditer(whole)))
    if len(inline) >= 2:
        pieces = [whole[m.end():(inline[i + 1].start() if i + 1 < len(inline) else len(whole))]
                  for i, m in enumerate(inline)]
        pieces = [re.sub(r"[\s;,]*\b(?:and|or)$", "", p.strip(" ;,\n")).strip(" ;,") for p in pieces]
        return tuple(p for p in pieces if p)
    return (whole or body.strip(),)


def _effect(body: str, parts: tuple[str, ...]) -> tuple[str, tuple[str, ...]]:
    if _MOTION_FAILED.search(body):
        return "refused", ("refused",)  # a lost motion did nothing, whatever it proposed
    if _LEGISLATION_PASSED.search(body):
        return "approved", ("approved",)  # adopted or passed on a roll call, whatever its text goes on to say
    if re.match(r"^\W*\w+\W*\(?for information(?: only)?\)?", body, re.I):
        return "noted", ()  # "Resolved: (For information only)" then the items reported
    found = {name: min(m.start() for m in hits) for name, pattern in _ACTIONS.items()
             if (hits := list(re.finditer(pattern, " ".join(parts), re.I)))}
    actions = tuple(sorted(found, key=found.get))  # in the order the decision says them
    if all(_NOTES.search(p) for p in parts) and not set(actions) - {"agreed"} and not any(
            re.search(r"\bagreed? (?:that|to)\b(?! note)", p, re.I) for p in parts):
        return "noted", actions
    if actions:
        return actions[0], actions
    announced = _ANNOUNCEMENT.match(body)
    words = announced[0].lower() if announced else ""
    return ("agreed" if "agree" in words else "approved" if "adopted" in words else "resolved"), actions


def _votes(text: str) -> str | None:
    roll_call = _LEGISLATION_PASSED.search(text)
    if roll_call:
        return f"{roll_call[1].lower()}: yeas {roll_call[2]}, nays {roll_call[3]}"
    named = {m[1].lower(): m[2] for m in _NAMED_VOTE.finditer(text)}  # "For (3): A, B, C. Against (1): D."
    if named:
        result = re.search(r"\bResult:\s*([^.]+)", text)
        return ", ".join(f"{vote} {n}" for vote, n in named.items()) + (f"; {result[1].strip().lower()}" if result else "")
    counted = re.search(r"For\s*\(?(\d+)\)?.{0,80}?Against\s*\(?(\d+)\)?(?:.{0,80}?Abstain\w*\s*\(?(\d+)\)?)?", text, re.S)
    if counted:
        figures = f"for {counted[1]}, against {counted[2]}" + (f", abstain {counted[3]}" if counted[3] else "")
        outcome = re.search(r"\b(carried|lost|fell)\b", text[counted.end():], re.I)
        return figures + (f"; {outcome[1].lower()}" if outcome else "")
    note = re.search(r"\(([^()]*\b(?:seconded|favou?r|against|agreed|unanimous\w*)\b[^()]*)\)|(Prop\.?[^.\n]*?All agreed)",
                     text, re.I)
    if note:
        return " ".join((note[1] or note[2]).split())
    return None


def find_decisions(text: str, heading_of=lambda offset: None) -> list[Decision]:
    """The decisions in a page of text, in order, without overlaps. `heading_of(offset)` gives the
    heading in force at an offset, so a decision under "Apologies" counts as procedural."""
    paragraphs = paragraph_spans(text)
    if not paragraphs:
        return []
    spans = [(s, e) for s, e in paragraphs if _MOTION_BLOCK.match(text, s, e)]
    motions = [s for s, _ in spans]
    announced = sorted({m.start() for m in _OPENER.finditer(text)})
    for i, start in enumerate(announced):
        if any(s <= start < e for s, e in spans):
            continue
        limit = min([announced[i + 1] if i + 1 < len(announced) else len(text)] + [s for s in motions if s > start])
        spans.append((start, _block_end(text, start, paragraphs, limit)))
    # US legislation: "Res. No. 81-17. By Council Member Dow. An emergency resolution … Read third time
    # in full. Adopted. Yeas 16. Nays 0." (referred legislation has no such line and is not a decision)
    for passed in _LEGISLATION_PASSED.finditer(text):
        labels = [m for m in _LEGISLATION_LABEL.finditer(text, max(0, passed.start() - 8000), passed.start())]
        if labels and not any(s <= labels[-1].start() < e for s, e in spans):
            spans.append((labels[-1].start(), passed.end()))
    spans.sort()
    # A vote recorded outside any announced decision is a decision of its own.
    for start, vote in _vote_starts(text):
        if not any(s <= vote < e or s <= start < e or start <= s < vote for s, e in spans):
            limit = min([s for s, _ in spans if s > start] + [len(text)])
            spans.append((start, _block_end(text, start, paragraphs, limit)))
    found: list[Decision] = []
    for start, end in sorted(spans):
        body = text[start:end].rstrip()
        if len(body.split()) < 3 or (found and start < found[-1].end):
            continue
        motion = _MOTION_BLOCK.match(body)
        parts = (motion[1],) if motion and motion[1] else _parts(body)
        effect, actions = _effect(body, parts)
        procedural = bool(_PROCEDURAL.search(body[:300]) or _PROCEDURAL_HEADING.match(heading_of(start) or ""))
        found.append(Decision(start, start + len(body), body, parts, effect, actions, _votes(body), procedural))
    return found


# Looser than a Decision: passages that report one in passing ("the grant was approved"), which
# a "what was decided" question should still prefer.
_DECIDED = re.compile(r"\b(?:was|were|been) (?:unanimously )?(?:agreed|approved|adopted|resolved|endorsed|refused)\b", re.I)


def reports_decision(text: str) -> bool:
    return bool(_DECIDED.search(text))
