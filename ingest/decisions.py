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
from bisect import bisect_right, insort
from itertools import accumulate, islice

from .headings import is_heading
from .records import Decision
from .text import iter_sentences, paragraph_spans, sentences

# Where a decision is announced. Lower-case "resolved" is ordinary prose ("issues being resolved")
# unless "it was" comes before it.
_OPENER = re.compile(
    r"\bRESOLVED\b|\bResolved\b(?=\s*(?:[:–—-]|[Tt]hat\b|to\b|\())|\b[Ii]t was (?:unanimously )?resolved\b"
    r"|(?m:^[ \t]*(?:(?:City |Town )?Council |Committee )?(?:Decision|DECISION|Decisions?|AGREED|Agreed)\s*:)|\bI agree to\b"
    r"|(?m:^[ \t]*(?:ORDER|Order)\s*:(?=[ \t]*[A-Z]\S*[ \t]+\w))"  # Irish minutes' "ORDER: Report noted."
    r"|\b(?:The rules were suspended and )?the following (?:Resolutions? |motions? )?(?:was|were) adopted\b"
    r"|\b[Ii]t was (?:also |further |then )?(?:unanimously )?(?:agreed|decided)\b"
    r"|\b(?:(?:The|Parish|All) )*(?:Council|Councillors|Members|Committee|Panel) (?:present )?(?:unanimously |all )?"
    r"(?:agreed|approved|decided|adopted|AGREED|APPROVED|DECIDED|ADOPTED)\b(?= (?:that|to|the)\b)")
# A recorded vote or a proposer's note: "(Cllr X proposed, Cllr Y seconded, all were in favour)",
# "Prop. GK, 2nd JR, All agreed.", "For (39) … Against (19) … Abstain (1)", "Motion carried."
_VOTE = re.compile(
    r"\bseconded\b|\b2nd\b|\b(?:all|were|was|unanimously) in favou?r\b|\bunanimous(?:ly)?\b|\bmotion (?:was )?(?:carried|lost|fell)\b"
    r"|\bAgainst\s*\(?\d+|\bFor\s*\(\d+\)|\bAll agreed\b|^\s*ORDER:\s*(?:agreed|noted|carried|lost|defeated)\b"
    r"|\b(?:motion|amendment|report|recommendations?)\b(?:[^.\n]|\.(?= \d)){0,60}?\b(?:was|were) (?:put [^.\n]{0,30}?and )?"
    r"(?:duly )?(?:declared )?(?:carried|lost|defeated|agreed|adopted|noted)\b(?! by\b| as follows\b)", re.I)
# How the outcome lines above end: "The motion was agreed.", "Report No. 64/2022 … was noted.", "… declared
# carried"; not a report's history ("was noted by the Audit Committee at its meeting on …").
_OUTCOME_LINE = re.compile(r"\b(?:was|were) (?:put [^.\n]{0,30}?and )?(?:duly )?(?:declared )?"
                           r"(?:carried|lost|defeated|agreed|adopted|noted)\b(?! by\b| as follows\b)", re.I)
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
_WORDS = re.compile(r"\S+")
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
    (ii) delegate …") and the proposer's note. The decision so far is read at its end only, or from
    where it was last read: reading it all again at each sentence took quadratic time."""
    end = start
    inline = following = False  # what the decision so far holds: an inline part's number, "following"
    read = start  # how far it has been read for them
    for s, e in iter_sentences(text, start, limit):
        piece = text[s:e]
        so_far = _rstripped(text, start, end)  # the decision so far is text[start:so_far]
        if so_far > read:
            # A new inline part ends where the text read before did, or after: it begins at most 10 characters
            # before ("(viii) " and the look-behind's "and"). Read from there, it is found as in the whole.
            window = text[max(start, read - 10):so_far]
            inline = inline or bool(_INLINE_PART.search(window))
            following = following or "following" in window
            read = so_far
        # A numbered piece continues a decision only one that announced numbered parts: in flattened
        # minutes "… as Vice-Chairman. 4. Approval of Minutes" starts the next item.
        numbered = (_INLINE_PART.match(piece) or _PART.match(piece)) and inline
        listed = piece.startswith(("Res. No.", "Ord. No.")) and following  # Cleveland's lists
        opens_list = text[max(start, so_far - 4):so_far].endswith((":", ";", ",", " and", " or")) \
            or _opens_part(text, start, so_far)
        if end > start and not (opens_list or numbered or listed):
            break
        if end > start and (_OPENER.search(piece) or _STOP.match(piece)):
            break
        end = e
    dangling = _DANGLING_PART.search(text, start, end)  # "… be let. vi." ends with the next part's number
    if dangling:
        end = dangling.start()
    for glued in _GLUED_END.finditer(text, start, end):
        if not _opens_part(text, start, glued.end()):  # "to:i.Agree" numbers a part
            return glued.end()
    note = _VOTE_NOTE.match(text, end, limit)
    return note.end() if note else end


def _rstripped(text: str, start: int, end: int) -> int:
    """The end of text[start:end] with its trailing white space left out."""
    while end > start and text[end - 1].isspace():
        end -= 1
    return end


def _opens_part(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] ends as _OPENS_PART does ("… to: (ii)."), read from its last word and the
    space before it, which hold any match: a part's number and brackets are at most 8 characters."""
    word = end
    while word > start and end - word < 9 and not text[word - 1].isspace():
        word -= 1
    return bool(_OPENS_PART.search(text[max(start, _rstripped(text, start, word) - 1):end]))


def _block_end(text: str, start: int, paragraphs: list[tuple[int, int]], ends: list[int], limit: int,
               longest: int | None) -> int:
    """Where a decision that starts at `start` ends (exclusive), not past `limit`. `ends`: the paragraphs'
    ends. One that runs past `longest` characters is no decision: it stops there, past that length."""
    here = bisect_right(ends, start)  # the paragraph that holds `start`, or the first after it
    p_start, p_end = paragraphs[here]
    # "RESOLVED:", "Decision:", "Resolved: (For information only)": at most 4 words (5 are not counted).
    opened_bare = sum(1 for _ in islice(_WORDS.finditer(text, start, p_end), 5)) <= 4
    # Sentence by sentence within its paragraph; on into the next paragraphs only when it fills its own.
    end = _sentence_end(text, start, min(p_end, limit))
    if end < p_end:
        return end
    end = min(p_end, limit)
    inline, read = False, start  # as in _sentence_end: an inline part's number, read as far as `read`
    for s, e in paragraphs[here + 1:bisect_right(ends, limit) + 1]:
        if longest is not None and end - start > longest:
            break
        if end > read:
            inline = inline or bool(_INLINE_PART.search(text, max(start, read - 10), end))
            read = end
        numbered = inline or bool(_PART.match(_ANNOUNCEMENT.sub("", text[start:end], count=1)))
        bare = opened_bare or text[max(start, _rstripped(text, start, end) - 1):end].startswith(":")
        if s >= limit or not _continues(text[s:e], bare, numbered):
            break
        if len(text[s:e].split(None, 150)) > 150 and not _PART.match(text[s:e]):
            break  # a long flattened page after a bare "Decision:" is the record, not the decision
        end = e
        opened_bare = opened_bare and not _PART.match(text[s:e])
    return end


def _vote_starts(text: str) -> list[tuple[int, int, int]]:
    """Decisions recorded only by their vote, as (start, vote, the vote's end): the sentence proposing it,
    or the one before a bare "(… seconded …)" note or a "Motion carried" or "The motion was agreed" line."""
    starts = []
    paragraphs = paragraph_spans(text)
    for n, (p_start, p_end) in enumerate(paragraphs):
        paragraph = text[p_start:p_end]
        spans = sentences(paragraph)
        for i, (s, e) in enumerate(spans):
            piece = paragraph[s:e]
            if not _VOTE.search(piece) or not (_PROPOSED.search(piece) or _OUTCOME_LINE.search(piece)
                                               or re.search(r"favou?r|carried|For\s*\(|All agreed|^\s*ORDER:", piece, re.I)):
                continue
            bare_note = piece.lstrip().startswith(("(", "_Prop", "Prop", "For ", "Motion")) or len(piece.split()) < 8 \
                or bool(re.match(r"\s*The (?:motion|amendment)\b", piece, re.I))
            if bare_note and i:
                starts.append((p_start + spans[i - 1][0], p_start + s, p_start + e))
            elif bare_note and n:  # "For (39) Against (19)" on a line of its own: the motion is above
                starts.append((paragraphs[n - 1][0], p_start + s, p_start + e))
            else:
                starts.append((p_start + s, p_start + s, p_start + e))
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
    if first and not re.search(r"\w", first):  # "The report was agreed.": the announcement is the decision
        first = lines[0]
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
    outcome = _OUTCOME_LINE.search(body)  # "… ORDER: Agreed.", "The motion was declared carried."
    if outcome or re.search(r"^\s*ORDER:\s*(?:agreed|carried)\b", body, re.I | re.M):
        said = outcome[0].lower() if outcome else "agreed"
        return next(effect for words, effect in (("noted", "noted"), ("lost", "refused"), ("defeated", "refused"),
                                                 ("adopted", "approved"), ("", "agreed")) if words in said), actions
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


def find_decisions(text: str, heading_of=lambda offset: None, longest: int | None = None) -> list[Decision]:
    """The decisions in a page of text, in order, without overlaps. `heading_of(offset)` gives the
    heading in force at an offset, so a decision under "Apologies" counts as procedural. A block longer
    than `longest` characters is no decision: it is not read past that, nor returned."""
    paragraphs = paragraph_spans(text)
    if not paragraphs:
        return []
    ends = [e for _, e in paragraphs]
    motions = [(s, e) for s, e in paragraphs if _MOTION_BLOCK.match(text, s, e)]
    motion_starts = [s for s, _ in motions]

    def in_motion(offset: int) -> bool:
        at = bisect_right(motion_starts, offset) - 1
        return at >= 0 and offset < motions[at][1]

    def next_motion(offset: int) -> int:
        after = bisect_right(motion_starts, offset)
        return motion_starts[after] if after < len(motions) else len(text)

    announced = sorted({m.start() for m in _OPENER.finditer(text)})
    opened: list[tuple[int, int]] = []
    reach = 0  # the furthest end of a block announced so far: the announcements before it are inside one
    for i, start in enumerate(announced):
        if in_motion(start) or start < reach:
            continue
        limit = min(announced[i + 1] if i + 1 < len(announced) else len(text), next_motion(start))
        opened.append((start, _block_end(text, start, paragraphs, ends, limit, longest)))
        reach = max(reach, opened[-1][1])
    # US legislation: "Res. No. 81-17. By Council Member Dow. An emergency resolution … Read third time
    # in full. Adopted. Yeas 16. Nays 0." (referred legislation has no such line and is not a decision)
    reach_by_start = list(accumulate((e for _, e in opened), max))  # `opened` is in page order

    def within_opened(offset: int) -> bool:
        at = bisect_right(opened, (offset, len(text) + 1)) - 1
        return at >= 0 and offset < reach_by_start[at]

    labels = list(_LEGISLATION_LABEL.finditer(text))
    label_ends = [m.end() for m in labels]
    passed_spans: list[tuple[int, int]] = []
    for passed in _LEGISLATION_PASSED.finditer(text):
        last = bisect_right(label_ends, passed.start()) - 1  # the last label before it, within 8,000 characters
        if last < 0 or labels[last].start() < passed.start() - 8000:
            continue
        label = labels[last].start()
        # Labels and passings come in page order, so only the last span taken can hold this label.
        if not (in_motion(label) or within_opened(label) or (passed_spans and label < passed_spans[-1][1])):
            passed_spans.append((label, passed.end()))
    votes = _vote_starts(text)
    spans = _Spans(sorted(motions + opened + passed_spans), [start for start, _, _ in votes])
    # A vote recorded outside any announced decision is a decision of its own.
    for start, vote, vote_end in votes:
        if not spans.meets(start, vote):
            limit = spans.next_start(start, len(text))
            # The vote is part of what it decided: "… scheme." The motion was agreed.
            end = max(_block_end(text, start, paragraphs, ends, limit, longest), min(vote_end, limit))
            spans.add(start, end)
    found: list[Decision] = []
    for start, end in sorted(spans.spans):
        body = text[start:end].rstrip()
        if len(body.split(None, 3)) < 3 or (found and start < found[-1].end):
            continue
        motion = _MOTION_BLOCK.match(body)
        parts = (motion[1],) if motion and motion[1] else _parts(body)
        effect, actions = _effect(body, parts)
        procedural = bool(_PROCEDURAL.search(body[:300]) or _PROCEDURAL_HEADING.match(heading_of(start) or ""))
        found.append(Decision(start, start + len(body), body, parts, effect, actions, _votes(body), procedural))
    return [d for d in found if longest is None or len(d.text) <= longest]


class _Spans:
    """The decision blocks found so far, asked in logarithmic time whether one meets a stretch of text and
    where the next begins: asking each of every other took quadratic time on a page of many votes."""

    def __init__(self, spans: list[tuple[int, int]], more_starts: list[int]):
        self.spans = list(spans)
        self.starts = sorted(s for s, _ in spans)
        self.empty = sorted(s for s, e in spans if e <= s)
        # Prefix maxima of the ends of the blocks (not empty) by start, over every start a block can have.
        self.points = sorted({s for s, _ in spans} | set(more_starts))
        self.tree = [-1] * (len(self.points) + 1)
        for s, e in spans:
            if e > s:
                self._raise(s, e)

    def _raise(self, start: int, end: int) -> None:
        i = bisect_right(self.points, start)
        while i < len(self.tree):
            self.tree[i] = max(self.tree[i], end)
            i += i & -i

    def _furthest_end(self, at_most: int) -> int:
        """The furthest end of a block that starts at or before `at_most`."""
        i, best = bisect_right(self.points, at_most), -1
        while i > 0:
            best = max(best, self.tree[i])
            i -= i & -i
        return best

    def meets(self, start: int, vote: int) -> bool:
        """Whether a block holds `start` or `vote`, or begins from `start` to before `vote`."""
        empty = bisect_right(self.empty, start - 1)
        return self._furthest_end(vote) > start or (empty < len(self.empty) and self.empty[empty] < vote)

    def next_start(self, offset: int, default: int) -> int:
        after = bisect_right(self.starts, offset)
        return self.starts[after] if after < len(self.starts) else default

    def add(self, start: int, end: int) -> None:
        self.spans.append((start, end))
        insort(self.starts, start)
        if end > start:
            self._raise(start, end)
        else:
            insort(self.empty, start)


# Looser than a Decision: passages that report one in passing ("the grant was approved"), which
# a "what was decided" question should still prefer.
_DECIDED = re.compile(r"\b(?:was|were|been) (?:unanimously )?(?:agreed|approved|adopted|resolved|endorsed|refused)\b", re.I)


def reports_decision(text: str) -> bool:
    return bool(_DECIDED.search(text))
