from pathlib import Path

import pytest

from conftest import CORPUS, SHARED, needs_shared
from ingest.chunk import chunk_document
from ingest.metadata import infer_metadata
from ingest.readers import parse_bytes
from ingest.records import Document


def _document(path):
    parsed = parse_bytes(path.name, path.read_bytes())
    meta = infer_metadata("record" + path.suffix, parsed.pages, parsed.title, parsed.running)  # no date from the name
    return Document("doc0123456789abc", str(path), "sha", parsed.pages, meta)


@pytest.mark.parametrize("path", sorted(p for p in CORPUS.iterdir() if p.suffix in {".pdf", ".html", ".txt", ".md"}
                                        and p.name != "README.md"), ids=lambda p: p.name)
def test_chunks_are_bounded_verbatim_and_stable(path):
    doc = _document(path)
    chunks = chunk_document(doc, max_words=150)
    assert chunks
    for chunk in chunks:
        assert len(chunk.text.split()) <= 150 or chunk.decision  # a decision is never cut
        assert chunk.text == doc.pages[chunk.page - 1].text[chunk.start:chunk.end]  # offsets point at the text
        assert chunk.chunk_id == f"{doc.doc_id}:p{chunk.page}:{chunk.start}"
    assert len({c.chunk_id for c in chunks}) == len(chunks)
    assert [c.chunk_id for c in chunk_document(doc, max_words=150)] == [c.chunk_id for c in chunks]


def test_long_paragraph_is_cut_at_sentences_with_overlap():
    sentence = "The panel discussed placement sufficiency for older children in detail. "
    doc = Document("d", "s", "h", (__import__("ingest.records").records.Page(1, sentence * 40),))
    chunks = chunk_document(doc, max_words=60)
    assert len(chunks) > 5
    assert all(c.text.endswith("detail.") for c in chunks)
    assert chunks[1].start < chunks[0].end  # one sentence of overlap


def test_a_chunk_never_spans_two_headed_items():
    pdf = CORPUS / "eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf"
    for chunk in chunk_document(_document(pdf)):
        body = chunk.text.split("\n\n")
        headed = [p for p in body[1:] if p[:3].rstrip(".").isdigit() and p.isupper()]
        assert not headed, chunk.text


def test_a_short_whole_section_is_not_merged_into_the_next():
    from ingest.records import Page
    text = ("What needs to improve?\n\n• Contingency planning in children’s written plans.\n\n"
            "• Consistent decision-making for strategy discussions.\n\n"
            "The experiences and progress of children who need help and protection: good\n\n"
            + "Children and families benefit from well-established and extensive early help support. " * 4)
    chunks = chunk_document(Document("d", "s", "h", (Page(1, text),)))
    assert chunks[0].text.endswith("strategy discussions.")
    assert chunks[1].heading == "The experiences and progress of children who need help and protection: good"


@needs_shared
@pytest.mark.parametrize("name,council,committee,date,item", [
    # 003 names BCP Council once, in its minutes' body: a mention, as a Kent report mentions Swale. 004 calls
    # itself BCP throughout.
    ("seeds/003_07580bce24a35a37.txt", None, "Children's Services Overview and Scrutiny Committee", "2021-01-26", "127"),
    ("seeds/004_322659bdc6da8f4a.txt", "Bournemouth, Christchurch and Poole Council",
     "Children's Services Overview and Scrutiny Committee", "2021-06-08", "11"),
    ("dev/ofsted/ofsted_ilacs_liverpool_2023-05-25.pdf", "Liverpool City Council", None, "2023-03-24", None),
    ("dev/ofsted/ofsted_reinspection_surrey_2018-05-16.pdf", "Surrey County Council", None, "2018-03-22", None),
    ("dev/ofsted/ofsted_reinspection_manchester_2017-12-21.pdf", "Manchester City Council", None, "2017-11-02", None),
    ("dev/moderngov/lgsf_decisions_modgov_decision_detail.html", None, "Policy Committee", "2015-10-19", None),
    ("dev/parish/parish_stoke-ferry-pc_2020-09-09_minutes.md", "Stoke Ferry Parish Council", None, "2020-09-09", None),
    ("dev/parish/parish_stoke-ferry_annual-parish-meeting_2012-05_minutes.md", "Stoke Ferry Parish Council",
     "Annual Parish Meeting", "2011-05-16", None),
    ("dev/us/us_cleveland_city-record_2018-01-24.txt", "Cleveland City Council", None, "2018-01-24", None),
    # A cover sheet's signatories are people; the meeting it goes to is on its "To:" line.
    ("dev2/records/kent_cabinet_2025-01-30_report-24-00109-strengthening-independence-18-25.pdf",
     "Kent County Council", "Cabinet", "2025-01-30", None),
    # Swale Borough Council is named once, in the body: not the author.
    ("dev2/records/kent_cabinet_2025-03-04_scrutiny-call-in-family-hubs-report-to-cabinet.pdf",
     None, "Cabinet", "2025-03-04", None),
    ("dev2/records/kent_corporate-parenting-panel_2024-12-10_minutes.pdf", None, "Corporate Parenting Panel",
     "2024-12-10", None),
    ("dev2/records/us_portland_city-council_2011-01-12_minutes-and-transcript.txt", "Portland City Council", None,
     "2011-01-12", None),
])
def test_metadata_is_read_from_the_record(name, council, committee, date, item):
    meta = _document(SHARED / name).meta
    assert (meta.council, meta.committee, meta.meeting_date, meta.item) == (council, committee, date, item)


def test_a_stated_council_is_kept_in_its_official_form():
    from ingest.metadata import meta_from_fields

    assert meta_from_fields({"council": "Surrey"})[0].council == "Surrey County Council"
    assert meta_from_fields({"council": "Wenmere Town Council"})[0].council == "Wenmere Town Council"


def test_sidecar_fills_what_the_text_does_not_say(make_assistant):
    assistant = make_assistant()
    record = CORPUS / "little-ashby-pc_2024-05-13_annual-meeting_minutes.txt"
    assistant.ingest([record])
    entry = assistant.library.manifest.documents[str(record.resolve())]
    assert entry.meta["council"] == "Little Ashby Parish Council"
    assert entry.meta["meeting_date"] == "2024-05-13"


def test_passages_cite_their_minute_and_agenda_item():
    pdf = CORPUS / "eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf"
    chunks = chunk_document(_document(pdf))
    offer = [c for c in chunks if "Local Offer 2024-26 be approved" in c.text]
    assert offer and all((c.meta.minute, c.meta.item) == ("41", "5") for c in offer)
    assert {(c.meta.minute, c.meta.item) for c in chunks if c.heading and c.heading.startswith("46. WORK")} == {("46", "10")}
    parish = chunk_document(_document(CORPUS / "little-ashby-pc_2024-09-09_minutes.md"))
    assert any(c.meta.minute == "24/46" for c in parish)
    page = chunk_document(_document(CORPUS / "northmoor_cabinet_2024-02-13_item-9_care-leavers-council-tax.html"))
    assert {c.meta.item for c in page} == {"9"} and {c.meta.minute for c in page} == {None}


@pytest.mark.parametrize("manifest,content", [
    ("clerk.toml", '[defaults]\ncouncil = "Wenmere Town Council"\n\n[files."notes.txt"]\nmeeting_date = "4 March 2024"\n'
                   'committee = "Allotments Committee"\n'),
    ("clerk.csv", "file,council,committee,meeting_date\n*,Wenmere Town Council,,\n"
                  "notes.txt,,Allotments Committee,2024-03-04\n"),
])
def test_a_folder_manifest_states_what_its_records_do_not(make_assistant, tmp_path, manifest, content):
    folder = tmp_path / "records"
    folder.mkdir()
    (folder / "notes.txt").write_text("7. Allotment rents\n\nRents were discussed at length by members.", encoding="utf-8")
    (folder / "other.txt").write_text("Some notes on the village fete, kept for the record by the clerk.", encoding="utf-8")
    (folder / manifest).write_text(content, encoding="utf-8")
    assistant = make_assistant()
    report = assistant.ingest([folder])
    assert report.count("added") == 2 and not report.count("skipped")  # the manifest is not a record
    docs = {Path(s).name: e.meta for s, e in assistant.library.manifest.documents.items()}
    assert (docs["notes.txt"]["council"], docs["notes.txt"]["committee"], docs["notes.txt"]["meeting_date"]) == (
        "Wenmere Town Council", "Allotments Committee", "2024-03-04")
    assert docs["other.txt"]["council"] == "Wenmere Town Council" and docs["other.txt"]["committee"] is None
    (folder / manifest).write_text(content.replace("Wenmere Town", "Wenmere Parish"), encoding="utf-8")
    assert assistant.ingest([folder]).count("updated") == 2  # editing the manifest counts as a change
    assert {e.meta["council"] for e in assistant.library.manifest.documents.values()} == {"Wenmere Parish Council"}


TORONTO_PAGE = b"""<html><head><title>City Council - Meeting 5 - Minutes - February 8, 2023</title></head>
<body><div class="site-header"><h1>City of Toronto</h1><ul class="menu"><li>Home</li></ul></div>
<h3>CC5.1 - Housing Action Plan</h3><p>City Council adopted the item, as amended.</p>
<footer><p>&copy; City of Toronto 2023</p></footer></body></html>"""


def test_an_html_page_s_banner_names_its_council_and_its_title_its_kind():
    """The banner is dropped from the text (site chrome), but it says whose page this is; the title says
    these are minutes, whatever an item is called (#14: HTML records and councils abroad)."""
    parsed = parse_bytes("cc5.html", TORONTO_PAGE)
    assert "City of Toronto" not in parsed.pages[0].text and "Home" not in parsed.pages[0].text
    meta = infer_metadata("cc5.html", parsed.pages, parsed.title, parsed.running)
    assert (meta.council, meta.committee, meta.meeting_date, meta.kind) == \
        ("City of Toronto", "City Council", "2023-02-08", "minutes")


def test_a_numbered_section_keeps_its_label_and_an_item_heading_gives_its_number():
    from ingest.chunk import _MINUTE_HEADING, inline_items

    text = ("Be it resolved by the Council: Section 1. That the summer schedule is fixed as follows: July 24, 2019. "
            "Section 2. That the Clerk give notice. Section 3. That this resolution take effect at once.")
    items = inline_items(text)
    assert [text[i:i + 10] for i in items] == ["Section 1.", "Section 2.", "Section 3."]  # not "1." without it
    assert _MINUTE_HEADING.match("Item 5. Motion in the name of Councillor Cuffe")[1] == "5"
    assert _MINUTE_HEADING.match("Section 1. That the schedule") is None  # a resolution's section is no minute
