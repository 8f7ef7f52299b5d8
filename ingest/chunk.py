"""Cut a parsed record into passages the embedding model can read whole. Pure logic.

The model reads at most 256 tokens (about 188 words of council prose) and silently drops the rest,
so passages stay under `max_words`, cut at paragraph and then sentence boundaries.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace

from .records import Chunk, Document, RecordMeta
from .text import BULLET, sentences

_WORD = re.compile(r"[^\W\d_]{3,}")
_OPENS_DECISION = re.compile(r"^(RESOLVED|Resolved|Decision:|DECISION:|AGREED|It was RESOLVED|It was resolved)\b")
_GRADED_SECTION = re.compile(r":\s*(inadequate|good|outstanding|requires? improvement(\s+to\s+be\s+good)?)\d?$", re.I)
_NUMBERED_HEADING = re.compile(r"^(\d{1,3}(\.\d{1,2})?\.?|\d{1,3}/\d{2,4}\.?|Item \d+\.?)\s+\S")


@dataclass(frozen=True)
class _Unit:
    start: int
    end: int
    words: int
    heading: bool = False
    decision: bool = False  # opens a RESOLVED block: starts a passage so the block stays together
    window: bool = False  # a slice of a long paragraph: stands alone, may overlap its neighbours


def is_heading(paragraph: str) -> bool:
    """Short title-like lines: "41. CARE LEAVERS' LOCAL OFFER (Agenda Item 5)", "Minutes:", "Agenda item".
    A "Label: value" line ("Inspection dates: 13 to 24 March 2023") is content, not a heading."""
    text = paragraph.strip()
    words = text.split()
    if not words or text.startswith(BULLET) or len(words) > 16:
        return False
    if re.match(r"[^:]{1,25}:\s+\S", text) and not _NUMBERED_HEADING.match(text):
        return False
    if _GRADED_SECTION.search(text) or (text.endswith("?") and len(words) <= 6):
        return True  # "… children in care: good", "What needs to improve?"
    letters = [c for c in text if c.isalpha()]
    if letters and sum(c.isupper() for c in letters) / len(letters) > 0.8 and len(words) <= 20:
        return True
    if text.endswith((".", ";", ",", "?", "!")) and not _NUMBERED_HEADING.match(text):
        return False
    if _NUMBERED_HEADING.match(text):
        return len(words) <= 12 and not text.endswith(".")
    return len(words) <= 10 and (text[0].isupper() or text[0].isdigit())


def _paragraph_spans(text: str) -> list[tuple[int, int]]:
    spans, pos = [], 0
    for block in text.split("\n\n"):
        if block.strip():
            lead = len(block) - len(block.lstrip())
            spans.append((pos + lead, pos + len(block.rstrip())))
        pos += len(block) + 2
    return spans


def _windows(text: str, start: int, end: int, max_words: int) -> list[_Unit]:
    """A paragraph too long for one passage: sentence-packed windows overlapping by one sentence,
    so a quote that spans a cut is still whole in one of them. Overlong sentences are cut by words."""
    paragraph = text[start:end]
    spans: list[tuple[int, int]] = []
    for s, e in sentences(paragraph):
        piece = paragraph[s:e]
        if len(piece.split()) <= max_words:
            spans.append((s, e))
            continue
        word_starts = [m.start() + s for m in re.finditer(r"\S+", piece)]
        step = max_words - max_words // 5
        for i in range(0, len(word_starts), step):
            chunk_end = word_starts[i + max_words] if i + max_words < len(word_starts) else e
            spans.append((word_starts[i], chunk_end))
            if i + max_words >= len(word_starts):
                break
    units, i = [], 0
    while i < len(spans):
        j, words = i, 0
        while j < len(spans) and words + len(paragraph[spans[j][0]:spans[j][1]].split()) <= max_words:
            words += len(paragraph[spans[j][0]:spans[j][1]].split())
            j += 1
        j = max(j, i + 1)
        s, e = spans[i][0], spans[j - 1][1]
        units.append(_Unit(start + s, start + e, len(paragraph[s:e].split()), window=True))
        if j >= len(spans):
            break
        i = j - 1 if j - 1 > i else j  # overlap by one sentence
    return units


def _units(text: str, max_words: int) -> list[_Unit]:
    units = []
    for start, end in _paragraph_spans(text):
        words = len(text[start:end].split())
        if words <= max_words:
            units.append(_Unit(start, end, words, heading=is_heading(text[start:end]),
                               decision=bool(_OPENS_DECISION.match(text[start:end]))))
        else:
            units.extend(_windows(text, start, end, max_words))
    return units


def _groups(text: str, max_words: int, heading: str | None) -> tuple[list[tuple[list[_Unit], str | None]], str | None]:
    """Units packed into passages, each with the heading in force where it starts (`heading` is
    the one in force at the top of the page), and the heading in force at the end of the page."""
    groups: list[tuple[list[_Unit], str | None]] = []
    group_heading = heading
    group: list[_Unit] = []
    for unit in _units(text, max_words):
        words_so_far = sum(u.words for u in group)
        if ((unit.heading or unit.decision) and group and not all(u.heading for u in group)) or unit.window \
                or (group and group[-1].window) or words_so_far + unit.words > max_words:
            groups.append((group, group_heading))  # a new heading starts a new passage: items never mix
            group = []
        if unit.heading:
            heading = text[unit.start:unit.end]
        if not group:
            group_heading = heading
        group.append(unit)
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
            opens_item = group[0].heading and bool(_NUMBERED_HEADING.match(heading or ""))
            if words < min_words and not any(u.window for u in previous + group) and not opens_item \
                    and words + sum(u.words for u in group) <= max_words:
                merged[-1] = (previous + group, previous_heading or heading)
                continue
        merged.append((group, heading))
    return merged


# "41. CARE LEAVERS' LOCAL OFFER (Agenda Item 5)", "24/45 Church Meadow play area", "1/16 Public Comments"
_MINUTE_HEADING = re.compile(r"^(?:Minute\s+)?(\d{1,4}(?:/\d{1,4})?)\.?\s+\S")
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


def chunk_document(doc: Document, *, max_words: int = 150, skip_empty: bool = True) -> list[Chunk]:
    """Passages of at most `max_words`. Heading-only and word-less passages are skipped, unless
    that would leave a record with nothing at all (a list page of titles): then they are kept."""
    chunks: list[Chunk] = []
    prefix = f"{doc.doc_id}:{doc.part + ':' if doc.part else ''}"
    heading = None  # a section runs on over the page break
    numbers = None  # the numbered item in force: sub-headings ("RESOLVED:") do not end it
    for page in doc.pages:
        text = page.text
        groups, heading = _groups(text, max_words, heading)
        for group, group_heading in _merge_fragments(groups, max_words):
            numbers = _numbers(group_heading) or numbers
            start, end = group[0].start, group[-1].end
            # Headings alone, or a contents page's dot leaders, say nothing worth retrieving.
            if skip_empty and (all(u.heading for u in group) or len(_WORD.findall(text[start:end])) < 5):
                continue
            chunks.append(Chunk(chunk_id=f"{prefix}p{page.number}:{start}", doc_id=doc.doc_id, source=doc.source,
                                page=page.number, start=start, end=end, heading=group_heading, text=text[start:end],
                                meta=_meta_for(doc.meta, numbers)))
    return chunks if chunks or not skip_empty else chunk_document(doc, max_words=max_words, skip_empty=False)
