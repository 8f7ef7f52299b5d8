"""Structured minutes exported as JSON: every text field in the file's order, the meeting's metadata
from its own fields, and each vote kept with its motion in one passage. Pure parsing on small
fictional fixtures in three shapes; one ingest with a fake embedder for what the pipeline adds."""
import zlib
from pathlib import Path

import numpy as np
import pytest

from ingest.chunk import chunk_document
from ingest.embed import Embedder
from ingest.errors import ParseError
from ingest.library import Library
from ingest.parse_json import parse_json
from ingest.pipeline import discover, ingest_paths
from ingest.records import Document

FIXTURES = Path(__file__).parent / "fixtures" / "json"


def _parse(name: str):
    return parse_json((FIXTURES / name).read_bytes())


def test_a_legistar_event_reads_in_order_without_ids_links_or_hashes():
    parsed = _parse("legistar_event.json")
    assert parsed.pages[0].text.split("\n\n") == [
        "Committee: Transportation and Public Works Committee",
        "Meeting date: 12 March 2024",
        "Time: 9:30 AM",
        "Video status: Public",
        "Agenda status: Final",
        "Minutes status: Final",
        "Location: Council Chamber, Riverton City Hall",
        "Public comment is limited to two minutes a speaker.",
        "Public comment (Item 1)",
        "Three speakers asked for safer crossings near Maple Street Elementary.",
        "Safe Routes to School Plan (Item 2)",
        "Action: recommended for adoption",
        "A RESOLUTION adopting the Riverton Safe Routes to School Plan and directing the Transportation Department "
        "to install twelve raised crossings near elementary schools by August 2025.",
        "Matter file: Res 2024-031",
        "Matter type: Resolution",
        "Matter status: Committee",
        "Matter attachments: Safe Routes Plan 2024",
        "Motion: A motion was made by Councilmember Ortiz, seconded by Councilmember Haines, that this Resolution be "
        "recommended for adoption. The motion carried by the following vote: Moved by Dana Ortiz, seconded by Luis "
        "Haines. For (3): Dana Ortiz, Luis Haines, Mira Petrov. Against (1): Grant Whitlock. Result: Pass.",
        "Zone 4 parking permit fee (Item 3)",
        "Councilmember Whitlock said the fee would fall hardest on renters without driveways.",
        "Action: failed",
        "AN ORDINANCE relating to residential parking; raising the annual permit fee in Zone 4 from $65 to $120.",
        "Matter file: CB 2024-112",
        "Matter type: Ordinance",
        "Matter status: Failed",
        "Motion: A motion was made by Councilmember Petrov, seconded by Councilmember Ortiz, that this Ordinance be "
        "recommended for passage. The motion failed by the following vote: Moved by Mira Petrov, seconded by Dana "
        "Ortiz. For (1): Mira Petrov. Against (3): Dana Ortiz, Luis Haines, Grant Whitlock. Result: Fail.",
    ]
    meta = parsed.meta
    assert (meta.council, meta.committee, meta.meeting_date, meta.title, meta.kind) == (
        None, "Transportation and Public Works Committee", "2024-03-12", None, "minutes")


def test_a_nested_agenda_of_items_motions_and_votes_reads_in_order():
    parsed = _parse("nested_agenda.json")
    assert parsed.pages[0].text.split("\n\n") == [
        "Transportation SPC, May meeting",
        "Council: Carrowmore County Council",
        "Committee: Transportation Strategic Policy Committee",
        "Meeting date: 14 May 2024",
        "Venue: Council Chamber, Áras an Chontae",
        "Chair: Cllr Niamh Brennan",
        "Present: Cllr Niamh Brennan, Cllr Tomás Keane, Cllr Aoife Walsh, Cllr Declan Moran, Ms Gráinne Foley (PPN)",
        "Apologies: Cllr Seán Duffy",
        "Minutes of previous meeting (Item 1)",
        "Motion: That the minutes of the meeting of 9 April 2024 be adopted as a true record. Moved by Cllr Tomás "
        "Keane, seconded by Cllr Aoife Walsh. Result: Agreed.",
        "Greenway extension to Kilbrack (Item 2)",
        "Author: Senior Engineer, Roads",
        "The Senior Engineer outlined the preferred route of the greenway extension, 6.2 km along the disused rail "
        "line, with road crossings at Kilbrack Cross and Ballinlough.",
        "Members welcomed the route but raised the safety of the Ballinlough crossing.",
        "Motion no: M14/2024",
        "Motion: That the Committee recommends to the Council that the Kilbrack greenway extension proceed to Part 8 "
        "planning with a signalised crossing at Ballinlough. Moved by Cllr Declan Moran, seconded by Cllr Niamh "
        "Brennan. For (4): Cllr Niamh Brennan, Cllr Declan Moran, Cllr Aoife Walsh, Ms Gráinne Foley (PPN). "
        "Against (1): Cllr Tomás Keane. Result: Carried.",
        "Motion no: M15/2024",
        "Motion: That a 30 km/h speed limit apply on the Kilbrack approach road. Moved by Cllr Tomás Keane. "
        "For (1): Cllr Tomás Keane. Against (2): Cllr Niamh Brennan, Cllr Declan Moran. Abstain (1): Cllr Aoife "
        "Walsh. Result: Lost.",
        "Any other business (Item 3)",
        "The Chair thanked members. The next meeting will be held on 11 June 2024.",
    ]
    meta = parsed.meta
    assert (meta.council, meta.committee, meta.meeting_date, meta.title, meta.kind) == (
        "Carrowmore County Council", "Transportation Strategic Policy Committee", "2024-05-14",
        "Transportation SPC, May meeting", "minutes")


def test_a_councildataproject_event_reads_in_order_once():
    parsed = _parse("cdp_event.json")
    # The matter repeats the item's name and text: said once. The date is the first session's.
    assert parsed.pages[0].text.split("\n\n") == [
        "Committee: Full Council",
        "Meeting date: 26 February 2024",
        "Minutes item: Call to order",
        "CB 120781",
        "AN ORDINANCE relating to the Lakeview Library; authorizing the purchase of the former fire station at "
        "2150 Ridge Street for a branch library.",
        "Matter type: Council Bill (CB)",
        "Result status: Passed",
        "Sponsors: Priya Raman",
        "Supporting files: Att 1 - Purchase and Sale Agreement",
        "Motion: For (2): Priya Raman, Tom Becker. Against (1): Alma Ruiz. Abstain (1): Owen Hart. Result: Passed.",
        "Res 32110",
        "A RESOLUTION requesting a study of late-night bus service on Route 7.",
        "Motion: For (2): Priya Raman, Alma Ruiz. Against (2): Tom Becker, Owen Hart. Result: Failed.",
    ]
    meta = parsed.meta
    assert (meta.council, meta.committee, meta.meeting_date, meta.kind) == (None, "Full Council", "2024-02-26", "minutes")


@pytest.mark.parametrize("name,motions", [("legistar_event.json", 2), ("nested_agenda.json", 3), ("cdp_event.json", 2)])
def test_a_vote_stays_with_its_motion_in_one_passage(name, motions):
    parsed = _parse(name)
    chunks = chunk_document(Document("d", "s", "h", parsed.pages, parsed.meta), max_words=40)
    paragraphs = [p for p in parsed.pages[0].text.split("\n\n") if p.startswith("Motion:")]
    assert len(paragraphs) == motions
    for paragraph in paragraphs:
        holding = [c for c in chunks if paragraph in c.text]
        assert len(holding) == 1, paragraph  # whole, even past max_words, and in one passage only
        assert holding[0].decision is not None and holding[0].decision.text == paragraph


def test_motions_are_decisions_with_their_item_effect_and_vote():
    parsed = _parse("nested_agenda.json")
    decisions = [c for c in chunk_document(Document("d", "s", "h", parsed.pages, parsed.meta)) if c.decision]
    assert [(c.meta.item, c.decision.effect, c.decision.votes, c.decision.procedural) for c in decisions] == [
        ("1", "approved", None, True),
        ("2", "recommended", "for 4, against 1; carried", False),
        ("2", "refused", "for 1, against 2, abstain 1; lost", False),
    ]
    assert decisions[2].decision.parts == ("That a 30 km/h speed limit apply on the Kilbrack approach road.",)
    assert decisions[1].heading == "Greenway extension to Kilbrack (Item 2)"


@pytest.mark.parametrize("data,reason", [
    (b"[1, 2, 3]", "no text found in the JSON"),
    (b'{"a": 1, "ok": true, "id": "x-1"}', "no text found in the JSON"),
    (b'{"name": "clerk", "description": "A tool that answers questions."}', "not a meeting"),
    (b'{"council": "Riverton",', "not valid JSON"),
    (b'{"title": "a"}\n{"title": "b"}\n', "one record a line belongs in a .jsonl file"),
    (b"[" * 50_000, "nested too deeply"),
    (b"", "file is empty"),
])
def test_json_that_is_not_a_meeting_is_refused_with_a_reason(data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_json(data)


class _HashedWords:
    """A fake sentence-transformers model: hashed word counts, unit length, no download."""

    def encode(self, texts, **_):
        vectors = np.zeros((len(texts), 16), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                vectors[row, zlib.crc32(word.encode()) % 16] += 1
        return vectors / np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-9)


def test_ingest_reads_meetings_keeps_sidecars_and_loses_nothing_to_a_bad_file(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    meeting, numbers = records / "meeting.json", records / "numbers.json"
    meeting.write_bytes((FIXTURES / "legistar_event.json").read_bytes())
    (records / "meeting.meta.json").write_text('{"council": "Riverton City Council"}', encoding="utf-8")
    numbers.write_text("[1, 2, 3]", encoding="utf-8")
    embedder = Embedder("fake-hashed-words", 16, _HashedWords)
    # The store among the records: its manifest and index files are JSON, and no meetings.
    library = Library(records / "store", model_name=embedder.name, dimension=embedder.dimension)

    report = ingest_paths([meeting, numbers], library, embedder)
    assert sorted(o.line() for o in report.outcomes) == [f"added: {meeting.resolve()}",
                                                         f"failed: {numbers.resolve()}: no text found in the JSON"]
    entry = library.manifest.documents[str(meeting.resolve())]
    # The sidecar names the council; the committee and date come from the file's own fields.
    assert (entry.meta["council"], entry.meta["committee"], entry.meta["meeting_date"]) == (
        "Riverton City Council", "Transportation and Public Works Committee", "2024-03-12")
    stored = library.store.count()

    meeting.write_text('{"EventBodyName": "Transportation', encoding="utf-8")
    again = ingest_paths([records], library, embedder)
    assert sorted((Path(o.source).name, o.status) for o in again.outcomes) == [
        ("meeting.json", "failed"), ("numbers.json", "failed")]  # no sidecar, no store file
    assert "\n" not in again.outcomes[0].line() and "not valid JSON" in again.outcomes[0].line()
    assert library.store.count() == stored and library.manifest.documents[str(meeting.resolve())] == entry

    found, skipped = discover([records / "meeting.meta.json"])
    assert not found and skipped[0].message == "a metadata sidecar, read with the record it describes"
