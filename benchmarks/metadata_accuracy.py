"""How often ingest gets a record's council, committee and date right, against a corpus's SOURCES.tsv.

Each record is read exactly as ingest reads it (`discover` then `read_documents`: the project's parsers,
`infer_metadata`, folder clerk.toml/clerk.csv and NAME.meta.json sidecars), with no embedding and no
store. Not a test.

    .venv/bin/python benchmarks/metadata_accuracy.py [--corpus DIR] [--sources TSV]

Per field it prints precision (of the values given, the share that are right) and recall (of the
records whose SOURCES.tsv states a value, the share given a right one), then every mismatch.

How a SOURCES.tsv cell is read (it is written for people, so it holds notes as well as values):
- A note in brackets is dropped: "Stoke Ferry Parish Council (Norfolk; republished …)".
- Council: "not named in fixture …" means the record has none, so any value given is wrong. A council
  the row says is "not named in the fixture" is scored when given, but not counted in recall.
  Both names are first put in their official form (`assistant.councils.canonical`: "Kent" is "Kent
  County Council", "Somerset County Council" is now "Somerset Council"), then compared without case,
  punctuation, "the", "of", "city", "parish", "town" and "council", so "City of Cleveland" and
  "Cleveland City Council" are one council.
- Committee: a document type rather than a body (an Ofsted report, a JSNA, the City Record) means the
  record has none. A ModernGov page's type says nothing of its committee: values given are not scored. A meeting of a whole parish or city council ("Parish council
  meeting") has no committee besides the council itself: a value naming the whole council is right,
  and no value is not counted as a miss. For a file of many records (JSONL), the bracketed list names
  the bodies its records belong to, and any of them is right.
- Date: any date the cell states is right (the meeting, the decision, the publication), as is any day
  in a range it states ("inspected 2022-01-17 to 2022-01-28") or in a month or year it gives alone
  ("2019-12"). Where the cell is a publication date and says the inspection dates are inside, a date
  in the 120 days before publication is right: ingest gives an inspection's last day.
"""
from __future__ import annotations

import argparse
import csv
import re
import sys
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from assistant.councils import canonical  # noqa: E402
from ingest.dates import find_dates  # noqa: E402
from ingest.errors import ParseError  # noqa: E402
from ingest.pipeline import discover, read_documents  # noqa: E402

CORPUS = ROOT.parent / "shared" / "corpus" / "dev2"
FIELDS = ("council", "committee", "date")
_NOTE = re.compile(r"\s*\([^)]*\)")
_NOT_A_BODY = re.compile(r"ofsted|jsna|city record", re.I)
_UNSTATED = re.compile(r"moderngov|mgwebservice", re.I)
_WHOLE_COUNCIL = re.compile(r"^(?:(?:extraordinary|ordinary)\s+)?(?:parish|town|city)\s+council\s+(?:\w+\s+)?meeting$", re.I)
_NAME_NOISE = {"the", "of", "city", "parish", "town", "council"}
# Ofsted publishes a report some weeks after the inspection's last day, which is the date ingest gives.
_PUBLICATION_LAG = timedelta(days=120)


@dataclass(frozen=True)
class Truth:
    """What a record's SOURCES.tsv row says of one field: the values that are right, and whether a
    record without one counts as a miss (`required`). No values: any value given is wrong."""

    values: tuple[str, ...] = ()
    required: bool = False
    whole_council: bool = False  # committee only: a value naming the council as a whole is right
    unknown: bool = False  # the row does not say: a value given is not scored


def name_key(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", _NOTE.sub("", name).lower().replace("&", " and "))
    return " ".join(w for w in words if w not in _NAME_NOISE)


def body_key(name: str) -> str:
    words = re.findall(r"[a-z0-9]+", _NOTE.sub("", name).lower().replace("&", " and "))
    return " ".join(w for w in words if w not in {"the", "meeting"})


def council_truth(cell: str) -> Truth:
    if not cell or cell.lower().startswith("not named"):
        return Truth()
    return Truth((_NOTE.sub("", cell).strip(),), required="not named in" not in cell)


def committee_truth(cell: str, many_records: bool) -> Truth:
    listed = re.search(r"\(([^)]*)\)", cell)
    if many_records and listed:
        return Truth(tuple(v.strip() for v in listed.group(1).split(",") if v.strip()), required=True)
    name = _NOTE.sub("", cell).strip()
    if _UNSTATED.search(cell):
        return Truth(unknown=True)
    if not name or _NOT_A_BODY.search(cell):
        return Truth()
    if _WHOLE_COUNCIL.match(name):
        return Truth(whole_council=True)
    return Truth((name,), required=True)


def date_truth(cell: str) -> Truth:
    return Truth((cell,), required=True) if cell.strip() and cell.strip().lower() != "n/a" else Truth()


def date_right(got: str, cell: str) -> bool:
    stated = [iso for _, iso in find_dates(cell)]
    if got in stated:
        return True
    if len(stated) > 1 and re.search(r"\bto\b|\s[-–]\s", cell) and min(stated) <= got <= max(stated):
        return True
    if stated and re.search(r"inspection dates inside", cell, re.I):
        published = date.fromisoformat(stated[0])
        return (published - _PUBLICATION_LAG).isoformat() <= got <= published.isoformat()
    spans = re.findall(r"(?<![\d-])(\d{4}(?:-\d{2})?)(?![\d-])", cell)  # "2019-12", "2025"
    return any(got.startswith(span) for span in spans)


def is_right(field: str, got: str, truth: Truth, council: str | None) -> bool:
    if field == "date":
        return bool(truth.values) and date_right(got, truth.values[0])
    if field == "council":
        return any(name_key(canonical(got)) == name_key(canonical(v)) for v in truth.values)
    if truth.whole_council:
        return body_key(got) in {"council", "full council", "parish council", "town council", "city council"} \
            or bool(council) and name_key(got) == name_key(council)
    return any(body_key(got) == body_key(v) for v in truth.values)


def read_sources(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle, delimiter="\t"))
    # dev names its columns committee_or_type and date; dev2, committee and meeting_or_publication_date.
    return [{"file": r["file"], "council": r.get("council") or "",
             "committee": r.get("committee") or r.get("committee_or_type") or "",
             "date": r.get("meeting_or_publication_date") or r.get("date") or ""} for r in rows]


def row_for(rel: str, rows: list[dict[str, str]]) -> dict[str, str] | None:
    return next((r for r in rows if rel == r["file"] or rel.endswith("/" + r["file"])), None)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    parser.add_argument("--sources", type=Path, help="default: CORPUS/SOURCES.tsv")
    args = parser.parse_args()
    rows = read_sources(args.sources or args.corpus / "SOURCES.tsv")
    files, _ = discover([args.corpus])

    given = dict.fromkeys(FIELDS, 0)
    right = dict.fromkeys(FIELDS, 0)
    wanted = dict.fromkeys(FIELDS, 0)
    found = dict.fromkeys(FIELDS, 0)  # right values where SOURCES.tsv states one: recall's numerator
    mismatches: list[str] = []
    records = 0
    for path in files:
        rel = path.relative_to(args.corpus).as_posix()
        row = row_for(rel, rows)
        if row is None:
            continue
        try:
            docs, _ = read_documents(path, path.read_bytes(), "")
        except ParseError as exc:
            mismatches.append(f"{rel}: not read ({exc})")
            continue
        truths = {"council": council_truth(row["council"]),
                  "committee": committee_truth(row["committee"], many_records=len(docs) > 1),
                  "date": date_truth(row["date"])}
        for doc in docs:
            records += 1
            name = rel + (f"#{doc.part}" if doc.part else "")
            got = {"council": doc.meta.council, "committee": doc.meta.committee, "date": doc.meta.meeting_date}
            for field in FIELDS:
                truth = truths[field]
                wanted[field] += truth.required
                if got[field] and not truth.unknown:
                    given[field] += 1
                    if is_right(field, got[field], truth, doc.meta.council):
                        right[field] += 1
                        found[field] += truth.required
                        continue
                    expected = " | ".join(truth.values) or ("the whole council" if truth.whole_council else "none")
                    mismatches.append(f"{name}: {field} {got[field]!r}, expected {expected!r}")
                elif truth.required:
                    mismatches.append(f"{name}: {field} missing, expected {' | '.join(truth.values)!r}")

    print(f"{records} records from {args.corpus}")
    print(f"{'field':<10} {'precision':>16} {'recall':>16}")
    for field in FIELDS:
        precision = f"{right[field] / given[field]:.3f} ({right[field]}/{given[field]})" if given[field] else "n/a"
        recall = f"{found[field] / wanted[field]:.3f} ({found[field]}/{wanted[field]})" if wanted[field] else "n/a"
        print(f"{field:<10} {precision:>16} {recall:>16}")
    print(f"\n{len(mismatches)} mismatches:")
    for line in mismatches:
        print("  " + line)


if __name__ == "__main__":
    main()
