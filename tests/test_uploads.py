"""Uploads are untrusted: names, zips and their sizes; and how the library table reads the history."""
import io
import zipfile

from assistant.library_view import csv_bytes, document_rows
from assistant.uploads import HistoryEntry, Limits, safe_name, unpack
from ingest.manifest import ManifestEntry

LIMITS = Limits(max_bytes=1_000_000, max_members=5, max_unzipped_bytes=2_500_000)


def _zip(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out.getvalue()


def test_names_lose_folders_and_odd_characters():
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("C:\\Users\\x\\Minutes (final).PDF") == "Minutes_final_.PDF"
    assert safe_name(".hidden.md") == "hidden.md"
    assert safe_name("Café <agenda>.html") == "Cafe_agenda_.html"
    assert safe_name("..") == "" and safe_name("/") == ""
    assert len(safe_name("a" * 300 + ".pdf")) <= 120 and safe_name("a" * 300 + ".pdf").endswith(".pdf")


def test_zip_members_are_flattened_and_each_refusal_is_named():
    found = unpack("batch.zip", _zip({"../../../up.txt": b"x", "a/b/minutes.md": b"y", "tool.exe": b"z",
                                      ".git/config": b"w", "empty.txt": b""}), LIMITS)
    assert [(i.name, i.safe_name, i.error) for i in found] == [
        ("batch.zip/../../../up.txt", "up.txt", ""),
        ("batch.zip/a/b/minutes.md", "minutes.md", ""),
        ("batch.zip/tool.exe", "tool.exe", "unsupported file type .exe"),
        ("batch.zip/empty.txt", "empty.txt", "the file is empty"),
    ]


def test_zip_bombs_are_refused_by_count_and_by_unpacked_size():
    assert unpack("many.zip", _zip({f"{n}.txt": b"x" for n in range(6)}), LIMITS)[0].error == "holds 6 files; the limit is 5"
    zeros = b"0" * 1_500_000  # compresses to a few KB
    big = unpack("big.zip", _zip({"a.txt": zeros}), LIMITS)
    assert big[0].error == "the file unpacks to over 1.0 MB" and not big[0].data
    total = unpack("total.zip", _zip({f"{n}.txt": zeros[:900_000] for n in range(4)}), LIMITS)
    assert [bool(i.error) for i in total] == [False, False, True]  # the third passes 2.5 MB; the rest unread
    assert "together unpack to over 2.5 MB" in total[2].error
    assert unpack("huge.txt", b"x" * 1_000_001, LIMITS)[0].error == "1.0 MB is over the 1.0 MB limit"
    assert unpack("bad.zip", b"PK not a zip", LIMITS)[0].error.startswith("not a readable zip")


def test_library_rows_say_ingested_failed_superseded_or_deleted():
    docs = {"/s/uploads/a.txt": ManifestEntry("d1", "new", 3, {"council": "X", "meeting_date": "2024-01-02"}, ["w"])}
    history = [HistoryEntry("t1", "a.txt", "/s/uploads/a.txt", "old", "added"),
               HistoryEntry("t2", "a.txt", "/s/uploads/a.txt", "new", "updated"),
               HistoryEntry("t3", "b.pdf", "", "bad", "failed", "no text found"),
               HistoryEntry("t4", "c.md", "/s/uploads/c.md", "c1", "added"),
               HistoryEntry("t5", "c.md", "/s/uploads/c.md", "", "deleted")]
    rows = document_rows(docs, history)
    assert [(r["document"], r["status"], r["detail"]) for r in rows] == [
        ("a.txt", "ingested", "w"), ("c.md", "deleted", "deleted t5"), ("b.pdf", "failed", "no text found"),
        ("a.txt", "superseded", "a later upload of the same name replaced it")]
    assert rows[0]["uploaded"] == "t2" and rows[0]["council"] == "X"


def test_csv_cells_cannot_run_as_formulas():
    text = csv_bytes([{"decision": "=HYPERLINK(\"http://x\")", "votes": "-3", "body": "Cabinet"}]).decode("utf-8-sig")
    assert text.splitlines() == ["decision,votes,body", "\"'=HYPERLINK(\"\"http://x\"\")\",'-3,Cabinet"]
