"""ModernGov-style HTML pages: keep headings and paragraphs, drop navigation and link furniture."""
from __future__ import annotations

import re

from .parse_text import decode
from .parsed import Parsed
from .records import Page
from .text import normalise

_DROP_TAGS = ("script", "style", "noscript", "nav", "header", "footer", "form", "button", "img", "svg", "iframe")
# ModernGov's own furniture, plus the usual names for site chrome.
_DROP_CLASS = re.compile(
    r"(^|\b)(nav|menu|breadcrumb|skip|footer|header|banner|cookie|mgLinks|mgActionList|mgFooter|mgFileSize|sidebar|share)",
    re.I,
)
_BLOCK_TAGS = ("p", "div", "li", "tr", "br", "h1", "h2", "h3", "h4", "h5", "h6", "table", "ul", "ol", "section",
               "article", "blockquote", "dd", "dt", "pre")
# Link leftovers such as "pdf icon PDF 273 KB" or "PDF 119 KB" at the end of an item title.
_FILE_SIZE = re.compile(r"\s*(pdf icon\s*)?\b(PDF|DOC|DOCX|XLS|XLSX|HTML?)\s+\d+(\.\d+)?\s*(KB|MB)\b", re.I)
_CHROME = re.compile(r"(^|\b)(header|banner|footer|masthead|site-?title|logo)", re.I)
# Page headers that name the page type, not the record.
_GENERIC_TITLE = re.compile(r"^(decision details|issue - meetings|agenda item|agenda and minutes|minutes|decisions?)$", re.I)


def parse_html(data: bytes) -> Parsed:
    from bs4 import BeautifulSoup  # bs4 only here, imported when an HTML record is read

    text, warnings = decode(data)
    soup = BeautifulSoup(text, "html.parser")
    # The site's banner and footer are dropped from the text, but they are where a page says whose it is
    # ("City of Toronto", "© Kent County Council"): kept, with the <title>, as the running lines that
    # metadata reads, as a PDF's running headers are.
    running = _chrome_lines([soup.title, *soup.find_all(["header", "footer"]),
                             *soup.find_all(attrs={"class": _CHROME}), *soup.find_all(attrs={"id": _CHROME})])
    for tag in soup.find_all(_DROP_TAGS):
        tag.decompose()
    for tag in soup.find_all(attrs={"class": _DROP_CLASS}) + soup.find_all(attrs={"id": _DROP_CLASS}):
        if not tag.decomposed:
            tag.decompose()
    title = next((h.get_text(" ", strip=True) for h in soup.find_all(["h1", "h2", "h3", "title"])
                  if h.get_text(strip=True) and not _GENERIC_TITLE.match(h.get_text(" ", strip=True))), None)
    for tag in soup.find_all(_BLOCK_TAGS):
        # Block elements end paragraphs; headings get blank lines on both sides so they stand alone.
        tag.insert_before("\n\n")
        tag.append("\n\n")
    for cell in soup.find_all(["td", "th"]):
        cell.append(" ")
    lines = []
    for line in soup.get_text().split("\n"):
        line = _FILE_SIZE.sub("", line)
        lines.append(line)
    body = normalise(_unwrap_inline_breaks("\n".join(lines)))
    return Parsed(pages=(Page(1, body),), warnings=tuple(warnings), title=title, running=running)


def _chrome_lines(tags, limit: int = 20) -> tuple[str, ...]:
    """The short lines of a page's title, banner and footer, in page order, each once; not a menu's many."""
    lines: dict[str, None] = {}
    for tag in tags:
        for line in (tag.get_text("\n") if tag is not None else "").split("\n"):
            line = " ".join(line.split())
            if line and len(line) <= 90 and len(lines) < limit:
                lines.setdefault(line)
    return tuple(lines)


def _unwrap_inline_breaks(text: str) -> str:
    """Source HTML wraps text inside a <p> with plain newlines; those are not paragraph breaks.
    Paragraph breaks were made explicit (blank lines) above, so any single newline is a wrap."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)
