"""The conversation as a Markdown file to keep or send. Unlike what the app renders (present.py, where every
control character is escaped because Streamlit's renderer never shows the escapes), a file is read as text
too: record text is escaped only where Markdown would otherwise read it as markup, so "40. Care-experienced"
stays as written, and "<script>", "*bold*" or "[link](x)" in a record still come out literally."""
from __future__ import annotations

import datetime as dt
import re

from .answers import Answer, Citation
from .compose import human_date
from .present import citation_sections, describe_filters

# Markup anywhere in a line: code, emphasis (an underscore inside a word is not), strikethrough, HTML and
# autolinks, a backslash, an entity ("&amp;"), and a link or image ("](", "][", or a "[x]:" definition).
_INLINE = re.compile(r"[\\`*~<]|(?<![^\W_])_|_(?![^\W_])|&(?=#?\w+;)|\](?=[(\[:])")
# Markup only at the start of a line: a heading, a quote, a list item (bullet or "40."), a setext underline.
_LINE_START = re.compile(r"^(#|>|=|[-+](?=\s|$)|\d{1,9}(?=[.)](?:\s|$)))")


def markdown_literal(text: str, bold: tuple[int, int] | None = None) -> str:
    """`text` as Markdown that renders as the text itself, line for line, with the characters from bold[0] to
    bold[1] in bold (line by line: bold cannot span a paragraph). Leading white space is dropped: four spaces
    would make a code block."""
    lines, offset = [], 0
    for line in text.split("\n"):
        indent = len(line) - len(line.lstrip())
        lo, hi = (max(bold[0] - offset - indent, 0), max(bold[1] - offset - indent, 0)) if bold else (0, 0)
        lines.append(_literal_line(line.strip(), lo, hi))
        offset += len(line) + 1
    return "\n".join(lines)


def _literal_line(line: str, lo: int, hi: int) -> str:
    before, inside, after = line[:lo], line[lo:hi], line[hi:]
    core = inside.strip()
    if not core:
        return _line_start(_escape(line))
    # "**" must touch the words it marks; the spaces around them stay outside.
    left = inside[:len(inside) - len(inside.lstrip())]
    right = inside[len(inside.rstrip()):]
    head = _line_start(_escape(before + left)) if before + left else ""
    return head + "**" + _escape(core) + "**" + _escape(right + after)


def _escape(text: str) -> str:
    return _INLINE.sub(lambda m: "\\" + m[0], text)


def _line_start(line: str) -> str:
    # "40." is escaped after its number, "#" or "-" before itself.
    return _LINE_START.sub(lambda m: m[0] + "\\" if m[0][0].isdigit() else "\\" + m[0], line, count=1)


def _answer_text(answer: Answer) -> str:
    """The answer, its [n] markers kept as they are: the file defines no link labels, so "[1]" is text."""
    return "  \n".join(re.sub(r"\[(\d+)\\\]", r"[\1]", markdown_literal(line)) for line in answer.text.split("\n"))


def _quote(citation: Citation) -> str:
    """The passage as a block quote, the sentence the answer quotes in bold."""
    text, supporting = citation.text, citation.supporting
    at = text.find(supporting) if supporting else -1
    body = markdown_literal(text, (at, at + len(supporting)) if at >= 0 else None)
    return "\n".join(f"  > {line}".rstrip() for line in body.split("\n"))


def conversation_markdown(turns: list[tuple[str, Answer | str]], exported: dt.datetime) -> str:
    """Each question, its answer and its sources (where each is recorded, and the passage), under the date
    and time of the export."""
    out = ["# Clerk conversation", "", f"Exported on {human_date(exported.date().isoformat())} at "
           f"{exported:%H:%M}. Every sentence of an answer is quoted from the source its [n] names.", ""]
    for question, reply in turns:
        out += [f"## Q: {markdown_literal(question)}", ""]
        if not isinstance(reply, Answer):
            out += [f"_{markdown_literal(reply)}_", ""]
            continue
        if reply.standalone_question:
            out += [f"_Searched for: {markdown_literal(reply.standalone_question)}_", ""]
        if reply.filters:
            out += [f"_Filters: {markdown_literal(describe_filters(reply.filters))}_", ""]
        out += [_answer_text(reply), ""]
        for title, citations in citation_sections(reply):
            out += [f"### {title}", ""]
            for citation in citations:
                out += [f"- [{citation.n}] {markdown_literal(citation.label())}", "", _quote(citation), ""]
    return "\n".join(out)
