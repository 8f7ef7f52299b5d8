import json

import pytest

from conftest import SHARED, needs_shared
from ingest.parse_jsonl import parse_jsonl, parse_mapping


def test_mapping_names_which_field_is_which():
    lines = [
        {"uid": "a1", "body": "Budget\n\nRESOLVED: That the budget of £2m be approved.", "held_on": "14/11/2023",
         "body_name": "Cabinet", "council": "Eastbridge County Council"},
        {"uid": "a2", "body": "", "held_on": "2023-11-14"},
        "not an object",
    ]
    data = "\n".join(json.dumps(line) for line in lines).encode() + b"\n{broken"
    parsed = parse_jsonl(data, parse_mapping("key=uid,text=body,meeting_date=held_on,committee=body_name"))
    assert len(parsed.parts) == 1
    part = parsed.parts[0]
    assert part.key == "a1"
    assert (part.meta.council, part.meta.committee, part.meta.meeting_date, part.meta.title) == (
        "Eastbridge County Council", "Cabinet", "2023-11-14", "Budget")
    assert len(parsed.warnings) == 3  # the empty body, the string, the broken line


def test_dates_may_be_timestamps_or_epoch_milliseconds():
    lines = [{"id": "a", "text": "Budget agreed.", "date": "2023-11-14T18:30:00"},
             {"id": "b", "text": "Budget agreed.", "date": 1700000000000}]
    parsed = parse_jsonl("\n".join(json.dumps(line) for line in lines).encode())
    assert [part.meta.meeting_date for part in parsed.parts] == ["2023-11-14", "2023-11-14"]


def test_bad_mapping_is_refused():
    with pytest.raises(ValueError, match="bad JSONL mapping"):
        parse_mapping("words=body")


@needs_shared
def test_kent_items_import_idempotently_with_their_metadata(make_assistant):
    assistant = make_assistant()
    path = SHARED / "dev" / "kent-items" / "agenda_items.jsonl"
    first = assistant.ingest([path])
    assert first.count("added") == 1
    chunks = list(assistant.library.store.iter_chunks())
    assert len({c.chunk_id for c in chunks}) == len(chunks) > 24
    record = [c for c in chunks if ":kent_cc_7393__0053:" in c.chunk_id][0]
    assert record.meta.council == "Kent County Council"
    assert record.meta.meeting_date == "2016-07-13"  # from epoch milliseconds
    assert record.meta.committee == "Planning Applications"
    assert record.meta.title.startswith("Application TM/15/1636")
    again = assistant.ingest([path])
    assert again.count("unchanged") == 1 and assistant.library.store.count() == len(chunks)
    answer = assistant.ask("How did Kent's secondary school allocations go on National Offer Day in March 2020?")
    assert any("94%" in c.text for c in answer.citations[:3])
