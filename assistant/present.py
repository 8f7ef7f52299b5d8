"""Turning answers into safe display text. Document text is untrusted: it is escaped so that
neither HTML nor Markdown in a record (links, images, <script>) is ever interpreted."""
from __future__ import annotations

import re

from .answers import Answer, Citation

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|>~<$&])")


def escape_markdown(text: str) -> str:
    """Literal text for st.markdown: every Markdown and HTML control character is escaped."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def answer_markdown(answer: Answer) -> str:
    """The answer with its [n] markers kept readable: escaped text, markers as bold literals."""
    return text_markdown(answer.text)


def text_markdown(text: str) -> str:
    """Answer text (also the part of it streamed so far) as safe Markdown, markers in bold."""
    lines = []
    for line in text.split("\n"):
        escaped = escape_markdown(line)
        lines.append(re.sub(r"\\\[(\d+)\\\]", r"**[\1]**", escaped))
    return "  \n".join(lines)


def citation_heading(citation: Citation) -> str:
    """An expander label: Streamlit renders labels as Markdown, so the record's metadata is escaped."""
    return f"[{citation.n}] " + escape_markdown(citation.label())


def citation_markdown(citation: Citation) -> str:
    """The passage with its supporting sentence in bold, all of it escaped."""
    text = citation.text
    if citation.supporting and citation.supporting in text:
        before, _, after = text.partition(citation.supporting)
        return escape_markdown(before) + "**" + escape_markdown(citation.supporting) + "**" + escape_markdown(after)
    return escape_markdown(text)


def citation_sections(answer: Answer) -> list[tuple[str, list[Citation]]]:
    """Sources the answer rests on, then further reading; or, when it abstains, closest matches."""
    cited = [c for c in answer.citations if c.cited]
    further = [c for c in answer.citations if not c.cited]
    if answer.abstained:
        return [("Closest matches (not an answer)", further)] if further else []
    return [(title, group) for title, group in (("Sources", cited), ("Further reading", further)) if group]
