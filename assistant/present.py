"""Turning answers into safe display text. Document text is untrusted: it is escaped so that
neither HTML nor Markdown in a record (links, images, <script>) is ever interpreted."""
from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, replace

from ingest.filters import Filters

from .answers import Answer, Citation
from .councils import canonical

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$&])")


def escape_markdown(text: str) -> str:
    """Literal text for st.markdown: every Markdown and HTML control character is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def text_markdown(text: str) -> str:
    """Answer text (also the part of it streamed so far) as safe Markdown, markers in bold."""
    lines = []
    for line in text.split("\n"):
        escaped = escape_markdown(line)
        lines.append(re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", escaped))
    return "  \n".join(lines)


# A word, with an apostrophe inside or at its end ("Leavers'", "council's"), as the tokenizer reads it.
_WORD = re.compile(r"[^\W_]+(?:['’][^\W_]*)*")


def marked_markdown(text: str, terms: set[str]) -> str:
    """Record text as safe Markdown with the words whose stem is one of `terms` (a topic's, by
    ingest.lexical.tokenize) in bold on a highlight, a run of them ("Care Leavers'") as one mark: Streamlit's
    own directive around escaped text, never HTML. Lines keep their breaks; indentation is dropped, as
    Markdown would make an indented line a code block."""
    from ingest.lexical import tokenize

    words = sorted(set(_WORD.findall(text)))
    marked = {w for w, stems in zip(words, tokenize(words) if words else []) if set(stems) & terms}
    if not marked:
        return "  \n".join(escape_markdown(line.strip()) for line in text.split("\n"))
    one = "|".join(map(re.escape, sorted(marked, key=len, reverse=True)))
    run = re.compile(rf"(?<![^\W_])(?:{one})(?:[ \t]+(?:{one}))*(?![^\W_'’])")

    def line_markdown(line: str) -> str:
        out, end = [], 0
        for found in run.finditer(line):
            out += [escape_markdown(line[end:found.start()]), f":orange-background[**{escape_markdown(found[0])}**]"]
            end = found.end()
        return "".join(out) + escape_markdown(line[end:])

    return "  \n".join(line_markdown(line.strip()) for line in text.split("\n"))


def citation_sections(answer: Answer) -> list[tuple[str, list[Citation]]]:
    """Sources the answer rests on, then further reading; or, when it abstains, closest matches."""
    cited = [c for c in answer.citations if c.cited]
    further = [c for c in answer.citations if not c.cited]
    if answer.abstained:
        return [("Closest matches (not an answer)", further)] if further else []
    return [(title, group) for title, group in (("Sources", cited), ("Further reading", further)) if group]


# The chat renders answers and sources as HTML (st.html), so that [n] can link to its source. Every piece of
# record text goes through html.escape before any tag of ours is put around it.

_MARKER = re.compile(r"\[(\d+)\]")


def display_numbers(answer: Answer) -> dict[int, int]:
    """Each citation's number as shown: in the order the answer's text first cites them, then the other
    cited passages, then the rest (further reading, closest matches) in their own order."""
    listed = [c.n for c in answer.citations]
    order = list(dict.fromkeys(int(m[1]) for m in _MARKER.finditer(answer.text) if int(m[1]) in listed))
    order += [c.n for c in answer.citations if c.cited and c.n not in order]
    order += [n for n in listed if n not in order]
    return {old: new for new, old in enumerate(order, 1)}


def for_display(answer: Answer) -> Answer:
    """The answer renumbered for reading: [1] is the first source the text cites, [2] the next new one, and
    every marker in the text still names the passage it named (one substitution pass, so a [2] that becomes
    [1] is never renumbered again). The answer as composed (and as `--json` gives it) is left as it is."""
    numbers = display_numbers(answer)
    if all(old == new for old, new in numbers.items()):
        return answer
    text = _MARKER.sub(lambda m: f"[{numbers[int(m[1])]}]" if int(m[1]) in numbers else m[0], answer.text)
    citations = sorted((replace(c, n=numbers[c.n]) for c in answer.citations), key=lambda c: c.n)
    return replace(answer, text=text, citations=tuple(citations))


def anchor(turn: int, n: int) -> str:
    """The id of source [n]'s line in turn `turn`: unique on the page, whatever the conversation."""
    return f"source-{turn}-{n}"


def answer_anchor(turn: int) -> str:
    return f"answer-{turn}"


_CHIP = ("font-size:0.8em;font-weight:600;padding:0 0.35em;margin:0 0.1em;border:1px solid currentColor;"
         "border-radius:0.6em;text-decoration:none;white-space:nowrap")


def answer_html(answer: Answer, turn: int) -> str:
    """The answer's text, escaped, with each [n] a small link to its source. Focusable (tabindex -1), so a
    source's "back to the answer" link moves focus here."""
    listed = {c.n for c in answer.citations}
    lines = []
    for line in answer.text.split("\n"):
        def chip(match: re.Match) -> str:
            n = int(match[1])
            if n not in listed:
                return match[0]
            return (f'<a href="#{anchor(turn, n)}" style="{_CHIP}" title="Go to source {n}" '
                    f'aria-label="source {n}">[{n}]</a>')
        lines.append(_MARKER.sub(chip, html.escape(line)))
    return (f'<div class="clerk-answer" id="{answer_anchor(turn)}" tabindex="-1" style="scroll-margin-top:4rem">'
            + "<br>".join(lines) + "</div>")


# How a record's kind dates it, and what to call the record when no committee is named.
_DATE_LABELS = {"minutes": "Meeting date", "agenda": "Meeting date", "decision": "Decision date",
                "inspection_report": "Inspection date", "report": "Published", "action_plan": "Published"}
_KIND_NAMES = {"minutes": "Minutes", "agenda": "Agenda", "decision": "Decision", "inspection_report": "Inspection report",
               "report": "Report", "action_plan": "Action plan"}
# A file named by a hash ("000_ede271a41d0e0c0d.txt") says nothing to a reader.
_HASH_NAME = re.compile(r"(?:\d+[_-])?[0-9a-f]{12,}", re.I)


def readable_file_name(name: str) -> str | None:
    """The file's name, or None when it is a hash or a number that tells a reader nothing."""
    return None if _HASH_NAME.fullmatch(name.rsplit(".", 1)[0]) else name


def date_label(kind: str | None) -> str:
    """"Meeting date", "Inspection date", "Decision date" or "Published", by the record's kind."""
    return _DATE_LABELS.get(kind or "", "Date")


def short_date(iso: str) -> str:
    """"2024-02-13" -> "13 Feb 2024"."""
    day = dt.date.fromisoformat(iso)
    return f"{day.day} {day:%b %Y}"


def _body(citation: Citation) -> str | None:
    """The committee, or the record's kind when it names none or is the whole council's meeting."""
    council, committee = canonical(citation.council), citation.committee
    if committee and not (council and committee.lower() in council.lower()):
        return committee
    return _KIND_NAMES.get(citation.kind or "")


def _where(citation: Citation) -> str | None:
    """"minute 24/46", "item 9", "minute 18, item 5"."""
    return ", ".join(p for p in (f"minute {citation.minute}" if citation.minute else None,
                                 f"item {citation.item}" if citation.item else None) if p) or None


@dataclass(frozen=True)
class DocumentSources:
    """The sources listed from one record: its title line, a line of detail, and its passages."""

    source: str
    heading: str  # "Northmoor Borough Council — Cabinet, 13 Feb 2024, item 9"
    detail: str  # "Minutes · Meeting date: 13 February 2024 · Care Leavers: …"
    citations: tuple[Citation, ...]
    shared_where: str | None  # the item all its passages are under, said in the heading, not on each line


def document_heading(citation: Citation, where: str | None) -> str:
    """The bold line a reader identifies a record by: council — body, date, item."""
    council = canonical(citation.council) or "Council not known"
    rest = ", ".join(p for p in (_body(citation), short_date(citation.meeting_date) if citation.meeting_date else None,
                                 where) if p)
    return f"{council} — {rest}" if rest else council


def record_title(citation: Citation) -> str | None:
    """The record's title less a web page's trimmings: "Issue - meetings - Care Leavers: … - Northmoor Borough
    Council" is "Care Leavers: …", its longest part that is not the council's name."""
    parts = [p.strip() for p in (citation.title or "").split(" - ") if p.strip()]
    named = [p for p in parts if p not in (citation.council, canonical(citation.council))]
    return max(named, key=len, default=None)


def document_detail(citation: Citation) -> str:
    """The record's kind (unless the heading names it), its date labelled by that kind, and its title (or its
    file's name, unless that is a hash)."""
    from .compose import human_date

    kind = _KIND_NAMES.get(citation.kind or "")
    kind = None if kind == _body(citation) else kind
    when = f"{date_label(citation.kind)}: {human_date(citation.meeting_date)}" if citation.meeting_date else None
    name = record_title(citation) or readable_file_name(citation.file_name)
    return " · ".join(p for p in (kind, when, name) if p)


def by_document(citations: list[Citation]) -> list[DocumentSources]:
    """Citations grouped by the record they come from, the records in the order of their first citation."""
    groups: dict[str, list[Citation]] = {}
    for citation in sorted(citations, key=lambda c: c.n):
        groups.setdefault(citation.source, []).append(citation)
    found = []
    for source, group in groups.items():
        places = {_where(c) for c in group}
        shared = places.pop() if len(places) == 1 else None
        found.append(DocumentSources(source, document_heading(group[0], shared), document_detail(group[0]),
                                     tuple(group), shared))
    return found


# Words of context either side of a quoted sentence: few before it, so that on one line the sentence shows.
_BEFORE_WORDS, _AFTER_WORDS, _OPENING_WORDS = 4, 8, 24


def quote_in_context(citation: Citation) -> tuple[str, str, str]:
    """(before, quoted, after): the sentence the answer quotes with a few words either side, or, for a passage
    no sentence rests on, its opening words. Cut words are shown as "…"."""
    text, supporting = " ".join(citation.text.split()), " ".join((citation.supporting or "").split())
    if supporting and supporting in text:
        before, _, after = text.partition(supporting)
        words_before, words_after = before.split(), after.split()
        lead = ("… " if len(words_before) > _BEFORE_WORDS else "") + " ".join(words_before[-_BEFORE_WORDS:])
        tail = " ".join(words_after[:_AFTER_WORDS]) + (" …" if len(words_after) > _AFTER_WORDS else "")
        return lead.strip(), supporting, tail
    words = text.split()
    return "", "", " ".join(words[:_OPENING_WORDS]) + (" …" if len(words) > _OPENING_WORDS else "")


def _marked_passage(citation: Citation) -> str:
    """The whole passage, escaped, with the sentence the answer quotes highlighted and bold (not by colour alone)."""
    text, supporting = citation.text, citation.supporting
    if supporting and supporting in text:
        before, _, after = text.partition(supporting)
        return (html.escape(before) + "<mark><strong>" + html.escape(supporting) + "</strong></mark>"
                + html.escape(after))
    return html.escape(text)


def source_line_html(citation: Citation, turn: int, shared_where: str | None) -> str:
    """One source on one line — its number, item and page, the quoted sentence in context — that opens to the
    whole passage; then a link back to the answer. The line is what [n] moves focus to (tabindex -1)."""
    before, quoted, after = quote_in_context(citation)
    where = ", ".join(p for p in (None if shared_where else _where(citation),
                                  f"p. {citation.page}" if citation.source.lower().endswith(".pdf") else None) if p)
    quote = (html.escape(before) + (f" <mark>{html.escape(quoted)}</mark> " if quoted else " ")
             + html.escape(after)).strip()
    return (f'<li class="clerk-source" id="{anchor(turn, citation.n)}" tabindex="-1">'
            f'<details><summary><strong>[{citation.n}]</strong> '
            + (f'<span class="clerk-where">{html.escape(where)}</span> — ' if where else "")
            + f'“{quote}”</summary>'
            f'<blockquote class="clerk-passage">{_marked_passage(citation)}</blockquote></details>'
            f'<a class="clerk-back" href="#{answer_anchor(turn)}" title="Back to the answer">'
            f'↑ answer<span class="clerk-hidden"> (back to the answer from source {citation.n})</span></a></li>')


def document_html(document: DocumentSources, turn: int) -> str:
    """A record's title line and detail, then its sources one line each."""
    lines = "".join(source_line_html(c, turn, document.shared_where) for c in document.citations)
    return (f'<div class="clerk-document"><p class="clerk-heading"><strong>{html.escape(document.heading)}</strong></p>'
            f'<p class="clerk-detail">{html.escape(document.detail)}</p>'
            f'<ol class="clerk-sources">{lines}</ol></div>')


# The look of the answer and its sources, in both themes: inherited colours, a visible focus, the source [n]
# went to marked (:target) until another is chosen. Captions in the text's own colour, faded less than
# Streamlit's (3.9:1 on white, under the 4.5:1 that small text needs). Sent by every page; no record text in it.
VIEW_CSS = """<style>
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p { color: inherit !important; }
[data-testid="stCaptionContainer"] { opacity: 0.8; }
[data-testid="stChatMessage"] { scroll-margin-top: 4.5rem; }
.clerk-answer:focus, .clerk-source:focus { outline: 2px solid currentColor; outline-offset: 2px; }
.clerk-heading { margin: 0.6em 0 0 0; }
.clerk-detail { margin: 0 0 0.2em 0; font-size: 0.875em; }
ol.clerk-sources { list-style: none; margin: 0; padding: 0; }
.clerk-source { display: flex; gap: 0.6em; align-items: baseline; scroll-margin-top: 4rem; border-radius: 0.3em;
  padding: 0.1em 0.3em; margin: 0; }
.clerk-source:target, .clerk-source:focus { background: rgba(255, 189, 69, 0.25); }
.clerk-source details { flex: 1; min-width: 0; }
.clerk-source summary { cursor: pointer; white-space: nowrap; overflow: hidden; text-overflow: ellipsis; }
.clerk-source mark { background: #fde68a; color: #1c1917; }  /* dark on light yellow in both themes: 13:1 */
.clerk-passage { margin: 0.3em 0 0.5em 0; padding-left: 0.8em; border-left: 3px solid rgba(128, 128, 128, 0.6);
  white-space: pre-wrap; }
.clerk-back { font-size: 0.875em; white-space: nowrap; }
.clerk-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
</style>"""


def describe_filters(filters: dict | None) -> str:
    """An answer's filters (Filters.to_json) in words, or "" when none applied."""
    if not filters:
        return ""
    lists = ("councils", "committees", "kinds")
    return Filters(**{k: tuple(v) if k in lists else v for k, v in filters.items()}).describe()
