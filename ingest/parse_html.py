"""ModernGov-style HTML pages: keep headings and paragraphs, drop navigation and link furniture."""
from __future__ import annotations

import re

from .errors import ParseError
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
# Browsers build no deeper a tree (Chromium's HTML parser stops nesting at 512): a page nested deeper is
# no council's record, and reading it would take time in the square of its depth.
MAX_DEPTH = 512
# Page headers that name the page type, not the record.
_GENERIC_TITLE = re.compile(r"^(decision details|issue - meetings|agenda item|agenda and minutes|minutes|decisions?)$", re.I)


def parse_html(data: bytes) -> Parsed:
    from bs4 import BeautifulSoup  # bs4 only here, imported when an HTML record is read

    text, warnings = decode(data)
    soup = BeautifulSoup(text, "html.parser")
    _check_depth(soup)
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
    title = _title(soup)
    lines = []
    for line in _text(soup).split("\n"):
        line = _FILE_SIZE.sub("", line)
        lines.append(line)
    body = normalise(_unwrap_inline_breaks("\n".join(lines)))
    return Parsed(pages=(Page(1, body),), warnings=tuple(warnings), title=title, running=running)


def _check_depth(soup) -> None:
    """Refuse a page nested deeper than MAX_DEPTH elements: what is read of an element can depend on the
    elements around it, so a page of thousands of nested <div>s or tables would take time in the square
    of its depth."""
    from bs4 import Tag

    stack = [iter(soup.contents)]
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
        elif isinstance(node, Tag):
            stack.append(iter(node.contents))
            if len(stack) > MAX_DEPTH:
                raise ParseError(f"HTML elements nested more than {MAX_DEPTH} deep (no browser builds a page "
                                 f"that deep): not read")


def _title(soup) -> str | None:
    """The text of the first heading (or <title>) that has some and is not a page type's name. A heading
    without text has none inside it: the headings inside are passed over, not read again."""
    empty: set[int] = set()
    for heading in soup.find_all(["h1", "h2", "h3", "title"]):
        if id(heading) in empty:
            continue
        text = heading.get_text(" ", strip=True)
        if not text:
            empty.update(id(t) for t in heading.descendants
                         if getattr(t, "interesting_string_types", None) == heading.interesting_string_types)
        elif not _GENERIC_TITLE.match(text):
            return text
    return None


def _text(soup) -> str:
    """The page's text, each block element's text set apart by blank lines (headings stand alone) and each
    table cell's followed by a space. Read in one pass down the tree with a stack of its own: marking the
    blocks in the tree itself took time in its depth for each mark, quadratic on a page of nested <div>s."""
    from bs4 import CData, NavigableString, Tag

    out: list[str] = []
    stack = [iter(soup.contents)]
    closing: list[str] = []  # what each open element adds after its content
    while stack:
        node = next(stack[-1], None)
        if node is None:
            stack.pop()
            if closing:
                out.append(closing.pop())
        elif isinstance(node, Tag):
            block = node.name in _BLOCK_TAGS
            if block:
                out.append("\n\n")
            stack.append(iter(node.contents))
            closing.append("\n\n" if block else " " if node.name in ("td", "th") else "")
        elif type(node) in (NavigableString, CData):
            out.append(str(node))
    return "".join(out)


def _chrome_lines(tags, limit: int = 20) -> tuple[str, ...]:
    """The short lines of a page's title, banner and footer, in page order, each once; not a menu's many.
    A tag inside one already read is not read again: its lines are in already, nested banners are not
    read in time quadratic in their depth."""
    lines: dict[str, None] = {}
    read: set[int] = set()
    for tag in tags:
        if tag is None or id(tag) in read:
            continue
        # Of the tags inside, those whose text is read alike (a <script>'s strings are only its own).
        read.update(id(t) for t in tag.descendants
                    if getattr(t, "interesting_string_types", None) == tag.interesting_string_types)
        for line in tag.get_text("\n").split("\n"):
            line = " ".join(line.split())
            if line and len(line) <= 90 and len(lines) < limit:
                lines.setdefault(line)
    return tuple(lines)


def _unwrap_inline_breaks(text: str) -> str:
    """Source HTML wraps text inside a <p> with plain newlines; those are not paragraph breaks.
    Paragraph breaks were made explicit (blank lines) above, so any single newline is a wrap."""
    return re.sub(r"(?<!\n)\n(?!\n)", " ", text)
