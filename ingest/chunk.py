"""Cut a parsed record into passages the embedding model can read whole. Pure logic.

The model reads at most 256 tokens (about 188 words of council prose) and silently drops the rest,
so passages stay under `max_words` and MAX_CHARS, cut at paragraph, then sentence, then word boundaries.
"""
from __future__ import annotations

import heapq
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace

from .decisions import Decision, find_decisions
from .headings import NUMBERED_HEADING, is_heading
from .records import Chunk, Document, RecordMeta
from .text import paragraph_spans, sentences

_WORD = re.compile(r"[^\W\d_]{3,}")
_NONSPACE = re.compile(r"\S+")
# Passage size in words. The model reads at most 256 tokens: 165 words of council prose and the context line
# before them (council | committee | month | heading, about 15 words) fit. Measured at 150, 165 and 180 on seeds,
# dev, dev2 and dev2 inside the combined store (docs/evaluation.md): both larger sizes ranked better by MRR@10 on
# every set (more of an item's words in each passage); 180 lost a seeds question to a diluted embedding.
PASSAGE_WORDS = 165
# Words alone do not bound a passage: a 50 MB line with no spaces is one "word". 256 tokens are about
# 1,000 characters of council prose, so 8 characters a word: past that the model reads nothing more, and a
# passage is as long as the model can see and a reader can take in.
MAX_CHARS = 8 * PASSAGE_WORDS
# A decision is one passage, never cut, even past `max_words` (the longest real one seen held 884 words,
# 5,843 characters). One longer than this is not taken for a decision, and is cut like any other text.
MAX_DECISION_CHARS = 8 * MAX_CHARS


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    words: int
    heading: bool = False
    decision: Decision | None = None  # a whole RESOLVED block: a passage of its own, never cut
    window: bool = False  # a slice of a long paragraph: stands alone, may overlap its neighbours
    item: str | None = None  # opens a numbered item found inside flattened text: its number and title


def _windows(text: str, start: int, end: int, max_words: int) -> list[_Unit]:
    """A paragraph too long for one passage: sentence-packed windows overlapping by one sentence,
    so a quote that spans a cut is still whole in one of them. Overlong sentences are cut by words."""
    paragraph = text[start:end]
    spans: list[tuple[int, int]] = []
    for s, e in sentences(paragraph):
        if len(paragraph[s:e].split()) <= max_words and e - s <= MAX_CHARS:
            spans.append((s, e))
        else:
            spans.extend(_cut(paragraph, s, e, max_words))
    units, i = [], 0
    while i < len(spans):
        j, words = i, 0
        while j < len(spans) and words + len(paragraph[spans[j][0]:spans[j][1]].split()) <= max_words \
                and spans[j][1] - spans[i][0] <= MAX_CHARS:
            words += len(paragraph[spans[j][0]:spans[j][1]].split())
            j += 1
        j = max(j, i + 1)
        s, e = spans[i][0], spans[j - 1][1]
        units.append(_Unit(start + s, start + e, len(paragraph[s:e].split()), window=True))
        if j >= len(spans):
            break
        i = j - 1 if j - 1 > i else j  # overlap by one sentence
    return units


def _cut(text: str, start: int, end: int, max_words: int) -> list[tuple[int, int]]:
    """text[start:end] in windows of at most `max_words` words and MAX_CHARS characters, each
    overlapping the one before by a fifth of its words. In linear time: each word is looked at
    by at most two windows, whatever its length."""
    words = [(a, min(a + MAX_CHARS, m.end())) for m in _NONSPACE.finditer(text, start, end)
             for a in range(m.start(), m.end(), MAX_CHARS)]  # a "word" past MAX_CHARS is cut into slices
    spans, i = [], 0
    while i < len(words):
        j = i + 1
        while j < len(words) and j - i < max_words and words[j][1] - words[i][0] <= MAX_CHARS:
            j += 1
        spans.append((words[i][0], words[j - 1][1]))
        if j == len(words):
            break
        i = max(i + 1, j - (j - i) // 5)
    return spans


# "… The Chair read the notice. 151/20 Aggressive and Abusive Behaviour The Chair …", "… true record.
# 5. Reports 5.1 …": printed minutes flattened into one paragraph still number their items, in sequence.
_INLINE_ITEM = (re.compile(r"(?<![\w/.,£$-])(\d{1,4})/(\d{2})\s+(?=[A-Z])"),
                # mid-paragraph only: lists at line starts are headings. A label before the number starts the item
                # with it ("… as follows: Section 1. That …"): cut at the number, "Section" was left behind.
                re.compile(r"(?<=\S )(?:(?:Section|Article|Clause|Paragraph|Item|Part|SECTION|ITEM)\s+)?(\d{1,2})\.\s+(?=[A-Z])"))


def inline_items(text: str, min_run: int = 3) -> dict[int, str]:
    """Offsets where numbered items start inside paragraphs, with a title for each: the number and
    the words up to the first sentence end (at most 12). Only runs of consecutive numbers count,
    so a stray "24/7" or "£5." is not an item."""
    runs: list[list[tuple[int, int, str]]] = []  # (offset, number, series)
    # The runs that a number would go on, by (series, the number they end at): the oldest first, found
    # in one look-up, so that "5. … 5. … 5. …" (a new run each time) takes linear time.
    ending: dict[tuple[str, int], list[int]] = {}
    for series, pattern in enumerate(_INLINE_ITEM):
        for m in pattern.finditer(text):
            number, suffix = int(m[1]), f"{series}{m[2] if series == 0 else ''}"
            waiting = ending.get((suffix, number - 1))
            if waiting:
                index = heapq.heappop(waiting)
                runs[index].append((m.start(), number, suffix))
            else:
                index = len(runs)
                runs.append([(m.start(), number, suffix)])
            heapq.heappush(ending.setdefault((suffix, number), []), index)
    runs = [run for run in runs if len(run) >= min_run]
    if any(run[0][2] != "1" for run in runs):  # minute numbers ("151/20") are the items; "1." lists inside them are not
        runs = [run for run in runs if run[0][2] != "1"]
    items = {}
    for offset, _, _ in (entry for run in runs for entry in run):
        title = text[offset:offset + 200]
        ends = [e for _, e in sentences(title)]
        items[offset] = " ".join(title[:ends[0] if ends else len(title)].split()[:12])
    return items


def _plain_units(text: str, start: int, end: int, max_words: int, items: dict[int, str],
                 offsets: list[int]) -> list[_Unit]:
    """`offsets`: the keys of `items`, sorted."""
    cuts = offsets[bisect_right(offsets, start):bisect_left(offsets, end)]
    if cuts:  # one run of units per numbered item
        bounds = [start, *cuts, end]
        return [u for a, b in zip(bounds, bounds[1:]) for u in _plain_units(text, a, b, max_words, items, [])]
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if start >= end:
        return []
    words = len(text[start:end].split())
    units = [_Unit(start, end, words, heading=is_heading(text[start:end]))] \
        if words <= max_words and end - start <= MAX_CHARS else _windows(text, start, end, max_words)
    if start in items and units:
        units[0] = replace(units[0], item=items[start])
    return units


def _units(text: str, max_words: int, decisions: list[Decision]) -> list[_Unit]:
    """Paragraphs (or windows of long ones), with each decision cut out as one unit of its own,
    whatever its length and wherever in a paragraph it starts."""
    units: list[_Unit] = []
    items = inline_items(text)
    offsets = sorted(items)
    next_decision = 0
    covered = 0  # text before this offset is already in a unit
    for start, end in paragraph_spans(text):
        pos = max(start, covered)
        while next_decision < len(decisions) and decisions[next_decision].start < end:
            decision = decisions[next_decision]
            next_decision += 1
            units.extend(_plain_units(text, pos, decision.start, max_words, items, offsets))
            units.append(_Unit(decision.start, decision.end, len(decision.text.split()), decision=decision))
            pos = covered = decision.end
        if pos < end:
            units.extend(_plain_units(text, pos, end, max_words, items, offsets))
    return units


def _groups(text: str, max_words: int, heading: str | None,
            decisions: list[Decision]) -> tuple[list[tuple[list[_Unit], str | None]], str | None]:
    """Units packed into passages, each with the heading in force where it starts (`heading` is
    the one in force at the top of the page), and the heading in force at the end of the page."""
    groups: list[tuple[list[_Unit], str | None]] = []
    group_heading = heading
    group: list[_Unit] = []
    words_so_far, headings_only = 0, True  # the group's words, and whether its units are all headings
    for unit in _units(text, max_words, decisions):
        if (unit.heading and group and not headings_only) or unit.window or unit.decision or unit.item \
                or (group and (group[-1].window or group[-1].decision)) or words_so_far + unit.words > max_words \
                or (group and unit.end - group[0].start > MAX_CHARS):
            groups.append((group, group_heading))  # a new heading starts a new passage: items never mix
            group, words_so_far, headings_only = [], 0, True
        if unit.heading or unit.item:
            heading = unit.item or text[unit.start:unit.end]
        if not group:
            group_heading = heading
        group.append(unit)
        words_so_far += unit.words
        headings_only = headings_only and unit.heading
    if group:
        groups.append((group, group_heading))
    return [(g, h) for g, h in groups if g], heading


def _merge_fragments(groups: list[tuple[list[_Unit], str | None]], max_words: int, min_words: int = 25):
    """A fragment of a few words (a title split over two lines, a label) joins the passage after it,
    unless that one opens a numbered agenda item: alone it matches every question about its record."""
    merged: list[tuple[list[_Unit], str | None]] = []
    for group, heading in groups:
        if merged:
            previous, previous_heading = merged[-1]
            words = sum(u.words for u in previous)
            opens_item = bool(group[0].item) or (group[0].heading and bool(NUMBERED_HEADING.match(heading or "")))
            # A short section, heading and body ("What needs to improve?" and two bullets), is whole:
            # merged into the next section, its words are drowned out by that section's.
            whole_section = previous[0].heading and not all(u.heading for u in previous) and group[0].heading
            if words < min_words and not any(u.window or u.decision for u in previous + group) and not opens_item \
                    and not whole_section and words + sum(u.words for u in group) <= max_words \
                    and group[-1].end - previous[0].start <= MAX_CHARS:
                merged[-1] = (previous + group, previous_heading or heading)
                continue
        merged.append((group, heading))
    return merged


# "41. CARE LEAVERS' LOCAL OFFER (Agenda Item 5)", "24/45 Church Meadow play area", "1/16 Public Comments"
_MINUTE_HEADING = re.compile(r"^(?:(?:Minute|Item|ITEM)\s+)?(\d{1,4}(?:/\d{1,4})?)\.?\s+\S")
_AGENDA_ITEM = re.compile(r"\((?:Agenda\s+)?Item\s+(\d+[a-z]?)\)", re.I)


def _numbers(heading: str | None) -> tuple[str | None, str | None] | None:
    """(minute, agenda item) when a heading opens a numbered item, else None."""
    minute = _MINUTE_HEADING.match(heading or "")
    item = _AGENDA_ITEM.search(heading or "")
    if not minute and not item:
        return None
    return (minute.group(1) if minute else None, item.group(1) if item else None)


def _meta_for(meta: RecordMeta, numbers: tuple[str | None, str | None] | None) -> RecordMeta:
    """A passage under a numbered minute cites that minute and its agenda item; a record that is
    one item already (a ModernGov item page) keeps its own number."""
    if not numbers or meta.item or meta.kind != "minutes":  # numbered paragraphs of reports are not minutes
        return meta
    return replace(meta, minute=numbers[0] or meta.minute, item=numbers[1] or meta.item)


def _heading_finder(text: str, carried: str | None):
    """The heading in force at an offset of the page (`carried` from the page before)."""
    marks = [(s, text[s:e]) for s, e in paragraph_spans(text) if is_heading(text[s:e])]
    starts = [s for s, _ in marks]

    def heading_of(offset: int) -> str | None:
        before = bisect_left(starts, offset)  # the marks that start before `offset`
        return marks[before - 1][1] if before else carried

    return heading_of


LEAD_WORDS = 40  # a decision is indexed with this many words before it: about two sentences of its item


def _lead(text: str, start: int, item_starts: list[int]) -> str | None:
    """The words of its item before offset `start` of the page, at most LEAD_WORDS of them: not back past
    the item's heading (`item_starts`: where headings end), or the last item's decision would lead this one."""
    at_or_before = bisect_right(item_starts, start)  # item_starts are in page order
    since = item_starts[at_or_before - 1] if at_or_before else 0
    words = text[max(since, start - 12 * LEAD_WORDS):start].split()[-LEAD_WORDS:]
    return " ".join(words) or None


def _heading_ends(text: str) -> list[int]:
    return [e for s, e in paragraph_spans(text) if is_heading(text[s:e])]


def chunk_document(doc: Document, *, max_words: int = PASSAGE_WORDS, skip_empty: bool = True) -> list[Chunk]:
    """Passages of at most `max_words`. Heading-only and word-less passages are skipped, unless
    that would leave a record with nothing at all (a list page of titles): then they are kept."""
    chunks: list[Chunk] = []
    prefix = f"{doc.doc_id}:{doc.part + ':' if doc.part else ''}"
    heading = None  # a section runs on over the page break
    numbers = None  # the numbered item in force: sub-headings ("RESOLVED:") do not end it
    for page in doc.pages:
        text = page.text
        # An inspection report tells of decisions others took ("it was decided not to …"); it takes none.
        decisions = [] if doc.meta.kind == "inspection_report" else \
            find_decisions(text, _heading_finder(text, heading), longest=MAX_DECISION_CHARS)
        groups, heading = _groups(text, max_words, heading, decisions)
        item_starts = _heading_ends(text) if decisions else []
        for group, group_heading in _merge_fragments(groups, max_words):
            numbers = _numbers(group_heading) or numbers
            start, end = group[0].start, group[-1].end
            decision = group[0].decision
            # A heading alone, or a contents page's dot leaders, say nothing worth retrieving; three or more
            # heading-like lines in a row are a table ("1. Children who need help and protection Inadequate").
            lone_headings = all(u.heading for u in group) and len(group) < 3
            if skip_empty and not decision and (lone_headings or len(_WORD.findall(text[start:end])) < 5):
                continue
            chunks.append(Chunk(chunk_id=f"{prefix}p{page.number}:{start}", doc_id=doc.doc_id, source=doc.source,
                                page=page.number, start=start, end=end, heading=group_heading, text=text[start:end],
                                meta=_meta_for(doc.meta, numbers), decision=decision,
                                lead=_lead(text, start, item_starts) if decision else None))
    return chunks if chunks or not skip_empty else chunk_document(doc, max_words=max_words, skip_empty=False)
