"""The catalogue of bad input (issue 18, scope 8): every kind of file a careless user or an attacker
can put in a folder, and what `clerk ingest` must say of it. Generated at run time, never committed.

Each kind has a folder of its own holding a good `neighbour.md` and, where the kind replaces a record,
a good first version of it (`GOOD_FIRST`), ingested before the kind's `make` poisons the folder.
`outcomes` says, per file, what the next ingest reports: "failed: REASON…" (one line `error: FILE:
REASON…`), "added"/"updated" with an optional ": WARNING…" (a clean ingest), "skipped: …", or "unread"
(not a regular file: no line, nothing stored of it changes). Reasons are prefixes of the line.

Upload kinds go through the app's upload path (assistant/uploads.py) instead: zips, names, sizes.
"""
from __future__ import annotations

import io
import os
import random
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

from hostile import (
    MINUTES,
    cyclic_pages_pdf,
    encrypted_pdf,
    flate_bomb_pdf,
    many_pages_pdf,
    one_page_pdf,
    text_pdf,
    unknown_filter_pdf,
)

RECORD = "record"  # the stem of the file a kind poisons
SECOND = MINUTES.replace("bench", "gate")  # a changed good record, for kinds that must ingest cleanly


def _jsonl(*lines: str) -> bytes:
    return "".join(line + "\n" for line in lines).encode()


def _line(key: str, text: str = SECOND, extra: str = "") -> str:
    return f'{{"id": "{key}", "text": "{text}"{extra}}}'


GOOD_FIRST: dict[str, bytes] = {  # a good first version of `record` in each format
    ".pdf": text_pdf(MINUTES),
    ".md": MINUTES.encode(),
    ".txt": MINUTES.encode(),
    ".html": f"<html><body><h1>Minutes</h1><p>{MINUTES}</p></body></html>".encode(),
    ".json": f'{{"meeting_date": "2024-03-04", "agenda": [{{"title": "Bench", "text": "{MINUTES}"}}]}}'.encode(),
    ".jsonl": _jsonl(_line("k1", MINUTES), _line("k2", MINUTES.replace("bench", "bin"))),
}


@dataclass(frozen=True)
class Kind:
    name: str
    make: Callable[[Path], None]  # poisons the kind's folder
    outcomes: dict[str, str]  # file (relative to the folder) -> what the ingest after `make` says of it
    first: str | None = None  # the suffix of `record` ingested good before `make`, if any


def _write(name: str, data: bytes | str) -> Callable[[Path], None]:
    def make(folder: Path) -> None:
        path = folder / name
        path.unlink(missing_ok=True)
        path.write_bytes(data.encode() if isinstance(data, str) else data)
    return make


def _replace(suffix: str, data: bytes | str, expect: str, name: str) -> Kind:
    """`record.SUFFIX`, ingested good, then replaced by `data`."""
    return Kind(name, _write(RECORD + suffix, data), {RECORD + suffix: expect}, first=suffix)


def _beside(files: dict[str, bytes | str], outcomes: dict[str, str], name: str, first: str | None = ".md") -> Kind:
    """Files written beside a good `record.md` (a sidecar, a folder manifest, a new record)."""
    def make(folder: Path) -> None:
        for file, data in files.items():
            _write(file, data)(folder)
    return Kind(name, make, outcomes, first)


def _special(name: str, make_at: Callable[[Path], None], expect: str = "unread") -> Kind:
    """`record.txt` replaced by something that is no regular file."""
    def make(folder: Path) -> None:
        (folder / f"{RECORD}.txt").unlink()
        make_at(folder / f"{RECORD}.txt")
    return Kind(name, make, {f"{RECORD}.txt": expect}, first=".txt")


def _mkdir(name: str) -> Callable[[Path], None]:
    return lambda folder: (folder / name).mkdir()


def _noise(n: int) -> bytes:
    return random.Random(18).randbytes(n)


def _manifest_kind(name: str, file: str, data: bytes | str, reason: str) -> Kind:
    """A folder manifest that cannot be read: every record of its folder fails, keeping what was stored."""
    return _beside({file: data}, {f"{RECORD}.md": f"failed: bad folder manifest {{folder}}/{file}: {reason}",
                                  "neighbour.md": f"failed: bad folder manifest {{folder}}/{file}: {reason}"}, name)


_PDF = "failed: corrupt or unreadable PDF"
_LONG_NAME = "x" * 242 + ".txt"  # 246 bytes: legal, but NAME.meta.json would be 256

KINDS: list[Kind] = [
    # PDFs
    _replace(".pdf", b"", "failed: file is empty", "pdf_empty"),
    _replace(".pdf", b"%PDF-1.4\n" + _noise(4000), _PDF, "pdf_binary_after_header"),
    _replace(".pdf", _noise(4000), "failed: not a PDF (no %PDF header)", "pdf_binary"),
    _replace(".pdf", encrypted_pdf(MINUTES), "failed: PDF is encrypted (password protected)", "pdf_encrypted"),
    _replace(".pdf", text_pdf(MINUTES)[:300], _PDF, "pdf_truncated"),
    _replace(".pdf", flate_bomb_pdf(), "failed: PDF too large to read (pypdf LimitReachedError", "pdf_flate_bomb"),
    _replace(".pdf", many_pages_pdf(150_000), "failed: PDF too large to read (pypdf LimitReachedError",
             "pdf_150000_pages"),
    _replace(".pdf", unknown_filter_pdf(), "failed: PDF uses a feature pypdf cannot read (Unsupported filter",
             "pdf_unknown_filter"),
    _replace(".pdf", cyclic_pages_pdf(), f"{_PDF} (PdfReadError: Detected cyclic page references", "pdf_cyclic_pages"),
    _replace(".pdf", text_pdf(SECOND).replace(b"startxref\n", b"startxref\n9"),
             "updated: pypdf repaired it: incorrect startxref pointer", "pdf_broken_xref"),
    _replace(".pdf", one_page_pdf(b""), "failed: PDF has no text layer", "pdf_no_text"),
    _replace(".pdf", GOOD_FIRST[".html"], "failed: not a PDF (no %PDF header)", "pdf_wrong_extension"),
    # HTML
    _replace(".html", "<html><body>" + "<div>" * 10_000 + SECOND + "</div>" * 10_000 + "</body></html>",
             "failed: HTML elements nested more than 512 deep", "html_nested_divs"),
    _replace(".html", "<html><body>" + "<table><tr><td>" * 5_000 + SECOND + "</td></tr></table>" * 5_000
             + "</body></html>", "failed: HTML elements nested more than 512 deep", "html_nested_tables"),
    _replace(".html", "<html><body><script>var minutes = 1;</script><style>p {}</style></body></html>",
             "failed: no text found", "html_no_text"),
    _replace(".html", "<html><body><p>" + SECOND + "</p><p>unclosed <b><i>" + "<" * 1000, "updated",
             "html_unclosed_tags"),
    # text and Markdown
    _replace(".txt", b"", "failed: file is empty", "text_empty"),
    _replace(".txt", b" \n\t\n" * 100, "failed: file is empty", "text_only_spaces"),
    _replace(".txt", _noise(4000), "failed: binary content, not text", "text_binary"),
    _replace(".txt", SECOND.encode().replace(b" ", b"\0", 3), "failed: binary content, not text", "text_nul_bytes"),
    _replace(".txt", SECOND + " " * 9000 + "\0 a NUL past the part looked at", "updated", "text_late_nul"),
    _replace(".txt", SECOND.encode("utf-16"), "failed: binary content, not text", "text_utf16"),
    _replace(".txt", SECOND.encode() + b" caf\xe9 \xff", "updated: not valid UTF-8", "text_invalid_utf8"),
    _replace(".txt", "\x1b[31m" + SECOND + "\x1b]0;owned\x07\x1b[2J", "updated", "text_control_characters"),
    _replace(".txt", "\u202e" + SECOND + "\u2066", "updated", "text_bidi_overrides"),
    _replace(".txt", "z" * 100_000, "updated", "text_line_without_spaces"),
    _replace(".txt", "Item 1. " * 2_500, "updated", "text_item_runs"),
    _replace(".txt", text_pdf(SECOND), "updated: not valid UTF-8", "text_holding_a_pdf"),
    _replace(".md", "**word " * 3_000 + "\n* **a** - b\n" * 500, "updated", "markdown_stars_and_bullets"),
    _replace(".md", "---\ntitle: " + "x" * 5_000 + "\n---\n" + SECOND, "updated", "markdown_long_front_matter"),
    # JSON and JSONL
    _replace(".json", '{"meeting_date": "2024-03-04", "agenda": [', "failed: not valid JSON", "json_syntax_error"),
    _replace(".json", '"only a string"', "failed: not a meeting", "json_wrong_type"),
    _replace(".json", "[" * 100_000 + "]" * 100_000, "failed: JSON nested too deeply", "json_nested"),
    _replace(".json", '{"n": ' + "9" * 5_000 + "}", "failed: not valid JSON (Exceeds the limit", "json_huge_integer"),
    _replace(".jsonl", _jsonl(_line("k1", extra=', "meeting_date": 1e20')), "updated", "jsonl_date_1e20"),
    _replace(".jsonl", _jsonl(_line("k1", extra=', "meeting_date": Infinity')), "updated", "jsonl_date_infinity"),
    _replace(".jsonl", _jsonl(_line("k1", extra=', "meeting_date": NaN')), "updated", "jsonl_date_nan"),
    _replace(".jsonl", _jsonl(_line("k1"), _line("k2"), _line("k1")),
             'failed: duplicate id "k1" on lines 1 and 3: each record needs its own id', "jsonl_duplicate_ids"),
    _replace(".jsonl", _jsonl(_line("k1"), "{not json"), "updated: line 2: not JSON, skipped", "jsonl_bad_line"),
    _replace(".jsonl", _jsonl('{"id": "k1", "text": 5}'), "failed: no records with text (line 1: no text field",
             "jsonl_text_not_text"),
    _replace(".jsonl", _jsonl(_line("k1", extra=', "council": {"x": 1}, "committee": [7]')), "updated",
             "jsonl_fields_of_other_types"),
    # sidecars and folder manifests
    Kind("sidecar_is_a_directory", _mkdir(f"{RECORD}.md.meta.json"),
         {f"{RECORD}.md": f"failed: cannot read sidecar {RECORD}.md.meta.json (Is a directory)"}, first=".md"),
    _beside({f"{RECORD}.md.meta.json": "{council:"}, {f"{RECORD}.md": f"failed: bad sidecar {RECORD}.md.meta.json"},
            "sidecar_syntax_error"),
    _beside({f"{RECORD}.md.meta.json": "[1, 2]"},
            {f"{RECORD}.md": f"failed: bad sidecar {RECORD}.md.meta.json: sidecar must hold a JSON object"},
            "sidecar_not_an_object"),
    _beside({f"{RECORD}.md.meta.json": '{"council": 5, "committee": ["a"], "meeting_date": "yesterday"}'},
            {f"{RECORD}.md": "updated: sidecar fields not used: committee (not text: list), council (not text: int), "
                             "meeting_date (not a date: 'yesterday')"}, "sidecar_wrong_types"),
    _beside({f"{RECORD}.md.meta.json": '{"meeting_date": 1e400}'},
            {f"{RECORD}.md": "updated: sidecar fields not used: meeting_date (not a date: 'inf')"},
            "sidecar_date_past_the_calendar"),
    _manifest_kind("toml_syntax_error", "clerk.toml", "[defaults\ncouncil = ",
                   "Expected ']' at the end of a table declaration"),
    _manifest_kind("toml_files_not_tables", "clerk.toml", "files = 5", '[files."NAME"] tables are expected'),
    _manifest_kind("toml_defaults_not_a_table", "clerk.toml", "defaults = 5", "a [defaults] table is expected"),
    _beside({"clerk.toml": "[defaults]\ncouncil = [1]\nmeeting_date = 2024-03-04\n"},
            {f"{RECORD}.md": "updated: clerk.toml fields not used: council (not text: list)",
             "neighbour.md": "updated: clerk.toml fields not used: council (not text: list)"}, "toml_wrong_types"),
    _manifest_kind("csv_without_a_file_column", "clerk.csv", "name,council\nrecord.md,Kent\n",
                   "a `file` column is expected"),
    _manifest_kind("csv_row_longer_than_its_header", "clerk.csv", "file,council\nrecord.md,Kent,extra\n",
                   "row 1 has more cells than the header"),
    _manifest_kind("csv_not_utf8", "clerk.csv", "file,council\nrecord.md,K\xe9nt\n".encode("latin-1"),
                   "'utf-8' codec can't decode"),
    # names and things that are no regular file
    _beside({_LONG_NAME: SECOND}, {_LONG_NAME: "added"}, "name_of_246_bytes", first=None),
    _beside({"bad\nname\x1b[31m.pdf": _noise(100)}, {"bad\nname\x1b[31m.pdf": "failed: not a PDF"},
            "name_with_control_characters", first=None),
    _beside({"record.exe": b"MZ" + _noise(100)}, {"record.exe": "skipped: unsupported file type .exe"},
            "unsupported_extension", first=None),
    _special("fifo", os.mkfifo),
    _special("symlink_to_dev_zero", lambda path: path.symlink_to("/dev/zero")),
    _special("dangling_symlink", lambda path: path.symlink_to(path.parent / "nowhere")),
    _special("directory_named_like_a_record", lambda path: path.mkdir()),
    _beside({"a_before.md": MINUTES.replace("bench", "lamp"), f"{RECORD}.pdf": flate_bomb_pdf(),
             "c_after.md": MINUTES.replace("bench", "swing")},
            {"a_before.md": "added", f"{RECORD}.pdf": "failed: PDF too large to read", "c_after.md": "added"},
            "good_files_around_a_poisoned_one", first=None),
]


# Uploads through the app: (name, file name and bytes uploaded, the one-line refusal's start). Each is
# uploaded over an earlier good upload named "board.md", which must stay as it was.
def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def lying_zip(declared: int, actual: bytes) -> bytes:
    """A zip whose headers say its member unpacks to `declared` bytes; it unpacks to `actual`."""
    data = bytearray(_zip({"board.md": actual}))
    for signature, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):  # local header, central directory
        at = data.find(signature)
        data[at + offset:at + offset + 4] = struct.pack("<I", declared)
    return bytes(data)


def encrypted_member_zip() -> bytes:
    """A member flagged as encrypted (bit 0 of its flags): zipfile asks for a password."""
    data = bytearray(_zip({"board.md": SECOND.encode()}, zipfile.ZIP_STORED))
    for signature, offset in ((b"PK\x03\x04", 6), (b"PK\x01\x02", 8)):
        at = data.find(signature)
        data[at + offset] |= 1
    return bytes(data)


ZEROS = b"0" * 3_000_000  # past the tests' 1 MB limit; deflates to 3 KB
UPLOAD_KINDS: list[tuple[str, str, bytes, str]] = [
    ("zip_bomb", "bomb.zip", _zip({"board.md": ZEROS}), "the file unpacks to over 1.0 MB"),
    # Members of NUL bytes: unpacked, then refused as binary, so none is ingested (and indexed: slow).
    ("zip_members_together_too_big", "many.zip", _zip({f"{n}.md": b"\0" * 900_000 for n in range(3)}),
     "the zip's files together unpack to over 2.0 MB"),
    ("zip_too_many_files", "count.zip", _zip({f"{n}.md": b"x" for n in range(6)}), "holds 6 files; the limit is 5"),
    ("zip_header_lies_about_size", "liar.zip", lying_zip(100, ZEROS), "cannot unpack (Bad CRC-32"),
    ("zip_not_a_zip", "broken.zip", b"PK\x03\x04" + _noise(500), "not a readable zip"),
    ("zip_encrypted_member", "locked.zip", encrypted_member_zip(), "cannot unpack (File <ZipInfo"),
    ("zip_in_a_zip", "nested.zip", _zip({"inner.zip": _zip({"board.md": b"x"})}), "unsupported file type .zip"),
    ("upload_too_big", "board.md", b"Minutes. " * 150_000, "1.4 MB is over the 1.0 MB limit"),
    ("upload_empty", "board.md", b"", "the file is empty"),
    ("upload_binary_over_a_good_one", "board.md", _noise(5_000), "binary content, not text"),
    ("upload_unsupported_type", "board.exe", b"MZ", "unsupported file type .exe"),
    ("upload_name_that_is_only_dots", "../..", b"x", "unsupported file type"),
    ("zip_member_climbing_out_over_a_good_one", "batch.zip", _zip({"../../board.md": zlib.compress(ZEROS[:1000])}),
     "binary content, not text"),
]
