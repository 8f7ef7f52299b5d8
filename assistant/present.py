"""Turning answers into safe display text. Document text is untrusted: it is escaped so that
neither HTML nor Markdown in a record (links, images, <script>) is ever interpreted."""
from __future__ import annotations

import html
import re

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


# The chat renders answers and source cards as HTML (st.html), so that [n] can link to its card.
# Every piece of record text goes through html.escape before any tag of ours is put around it.

def anchor(turn: int, n: int) -> str:
    """The id of source [n]'s card in turn `turn`: unique on the page, whatever the conversation."""
    return f"source-{turn}-{n}"


_CHIP = ("font-size:0.8em;font-weight:600;padding:0 0.35em;margin:0 0.1em;border:1px solid currentColor;"
         "border-radius:0.6em;text-decoration:none;white-space:nowrap")


def answer_html(answer: Answer, turn: int) -> str:
    """The answer's text, escaped, with each [n] a small link to its source card."""
    listed = {c.n for c in answer.citations}
    lines = []
    for line in answer.text.split("\n"):
        def chip(match: re.Match) -> str:
            n = int(match[1])
            if n not in listed:
                return match[0]
            return (f'<a href="#{anchor(turn, n)}" style="{_CHIP}" title="Go to source {n}" '
                    f'aria-label="source {n}">[{n}]</a>')
        lines.append(re.sub(r"\[(\d+)\]", chip, html.escape(line)))
    return '<div class="clerk-answer">' + "<br>".join(lines) + "</div>"


def citation_facts(citation: Citation) -> list[tuple[str, str]]:
    """What a source card says of where the passage comes from, as (label, value), known values only."""
    facts = [("Council", canonical(citation.council)), ("Committee", citation.committee), ("Meeting date", citation.meeting_date),
             ("Item", citation.item), ("Minute", citation.minute), ("Title", citation.title if not citation.item else None),
             ("Page", str(citation.page)), ("Kind", (citation.kind or "").replace("_", " ")),
             ("Document", citation.file_name)]
    return [(label, value) for label, value in facts if value]


def citation_card_html(citation: Citation, turn: int) -> str:
    """A source card: its number, where it comes from, and the passage with the supporting
    sentence marked (highlighted and bold, so not by colour alone)."""
    text, supporting = citation.text, citation.supporting
    if supporting and supporting in text:
        before, _, after = text.partition(supporting)
        passage = (html.escape(before) + "<mark><strong>" + html.escape(supporting) + "</strong></mark>"
                   + html.escape(after))
    else:
        passage = html.escape(text)
    facts = " · ".join(f"{html.escape(label)}: {html.escape(value)}" for label, value in citation_facts(citation))
    # scroll-margin: a [n] link scrolls the card to just below Streamlit's header, not under it.
    return (f'<section id="{anchor(turn, citation.n)}" aria-label="Source {citation.n}" style="scroll-margin-top:4rem">'
            f'<p style="margin:0 0 0.3em 0"><strong>[{citation.n}]</strong> '
            f'<span style="font-size:0.85em">{facts}</span></p>'
            f'<blockquote style="margin:0;white-space:pre-wrap">{passage}</blockquote></section>')


def describe_filters(filters: dict | None) -> str:
    """An answer's filters (Filters.to_json) in words, or "" when none applied."""
    if not filters:
        return ""
    lists = ("councils", "committees", "kinds")
    return Filters(**{k: tuple(v) if k in lists else v for k, v in filters.items()}).describe()
