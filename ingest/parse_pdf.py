"""PDF records, page by page, so citations can name the page."""
from __future__ import annotations

import io
import logging
import re
import statistics
from contextlib import contextmanager

from .errors import ParseError
from .parsed import Parsed
from .records import Page
from .text import clean_spaces, normalise

_PAGE_FURNITURE = re.compile(r"^\s*(page\s+)?\d{1,4}(\s+of\s+\d{1,4})?\s*$", re.I)


def parse_pdf(data: bytes) -> Parsed:
    import pypdf  # pypdf only here
    from pypdf.errors import LimitReachedError, PdfReadError

    if not data.strip():
        raise ParseError("file is empty")
    if not data.lstrip()[:5].startswith(b"%PDF"):
        raise ParseError("not a PDF (no %PDF header)")
    repaired: list[str] = []
    try:
        with _pypdf_log(repaired):
            reader = pypdf.PdfReader(io.BytesIO(data))
            if reader.is_encrypted:
                # An empty user password opens "protected" PDFs that anyone may read; others stay closed.
                try:
                    opened = reader.decrypt("")
                except Exception:  # noqa: BLE001 - pypdf raises several types for unsupported crypto
                    opened = 0
                if not opened:
                    raise ParseError("PDF is encrypted (password protected)")
            raw_pages, running = drop_running_headers([page.extract_text() or "" for page in reader.pages])
        pages = tuple(Page(i, normalise(mark_paragraph_breaks(text))) for i, text in enumerate(raw_pages, start=1))
    except ParseError:
        raise
    # pypdf's own bounds (a stream inflating past 75 MB, too many objects) and features it lacks.
    except LimitReachedError as exc:
        raise ParseError(f"PDF too large to read (pypdf LimitReachedError: {_brief(exc)})") from None
    except NotImplementedError as exc:
        raise ParseError(f"PDF uses a feature pypdf cannot read ({_brief(exc)})") from None
    except (PdfReadError, ValueError, KeyError, TypeError, AttributeError, IndexError, OSError) as exc:
        raise ParseError(f"corrupt or unreadable PDF ({type(exc).__name__}: {_brief(exc)})") from None
    warnings = (f"pypdf repaired it: {'; '.join(dict.fromkeys(repaired))[:200]}",) if repaired else ()
    if not any(p.text.strip() for p in pages):
        raise ParseError("PDF has no text layer (scanned images need OCR first)")
    return Parsed(pages=pages, warnings=warnings, running=running)


@contextmanager
def _pypdf_log(into: list[str]):
    """What pypdf logs while reading ("EOF marker not found", "incorrect startxref pointer"), kept in
    `into` for the file's warning: left to Python's last-resort handler, it reached stderr as lines
    naming no file."""
    logger = logging.getLogger("pypdf")
    handler = logging.Handler(logging.WARNING)
    handler.emit = lambda record: into.append(" ".join(record.getMessage().split()))
    propagate, logger.propagate = logger.propagate, False
    logger.addHandler(handler)
    try:
        yield
    finally:
        logger.removeHandler(handler)
        logger.propagate = propagate


def _brief(exc: Exception) -> str:
    return " ".join(str(exc).split())[:80]


def drop_running_headers(page_texts: list[str]) -> tuple[list[str], tuple[str, ...]]:
    """Drop lines repeated on most pages ("Inspection of Leeds local authority children's services
    21 February to 4 March 2022 4"): furniture that would otherwise match every query about the record.
    The lines dropped are returned too, as first printed: a running header names the record's council."""
    if len(page_texts) < 3:
        return page_texts, ()

    def key(line: str) -> str:
        return re.sub(r"\d+", "#", line.strip().lower())

    seen: dict[str, int] = {}
    for text in page_texts:
        for k in {key(line) for line in text.split("\n") if len(line.strip()) > 8}:
            seen[k] = seen.get(k, 0) + 1
    repeated = {k for k, n in seen.items() if n >= max(3, len(page_texts) // 2)}
    running: dict[str, str] = {}
    for text in page_texts:
        for line in text.split("\n"):
            if key(line) in repeated:
                running.setdefault(key(line), " ".join(line.split()))
    return ["\n".join(line for line in text.split("\n") if key(line) not in repeated) for text in page_texts], \
        tuple(running.values())


def mark_paragraph_breaks(page_text: str) -> str:
    """PDF text has a newline at every printed line and none between paragraphs. A line much shorter
    than the page's usual line is a paragraph's last line or a heading, so a blank line follows it.
    Page-number lines ("Page 2 of 7", "12") are furniture and dropped."""
    lines = [line for line in clean_spaces(page_text).split("\n") if not _PAGE_FURNITURE.match(line)]
    lengths = [len(line.strip()) for line in lines if line.strip()]
    if len(lengths) < 3:
        return "\n\n".join(lines)
    typical = statistics.quantiles(lengths, n=10)[7]  # 80th percentile: a full printed line
    out = []
    for line in lines:
        out.append(line)
        stripped = line.strip()
        if stripped and len(stripped) < 0.7 * typical and not stripped.endswith((",", "-", "–", "and", "or", "the", "of")):
            out.append("")
    return "\n".join(out)
