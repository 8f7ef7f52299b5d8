import pytest

from conftest import CORPUS, SHARED, needs_shared
from ingest.errors import ParseError
from ingest.readers import parse_bytes


def test_moderngov_html_keeps_content_and_drops_furniture():
    page = CORPUS / "northmoor_cabinet_2024-02-13_item-9_care-leavers-council-tax.html"
    parsed = parse_bytes(page.name, page.read_bytes())
    text = parsed.pages[0].text
    assert "RESOLVED" in text
    assert "care leaver" in text
    assert "pdf icon" not in text.lower()
    assert " KB" not in text
    assert "\u00a0" not in text


def test_pdf_pages_are_kept_with_their_numbers():
    pdf = CORPUS / "eastbridge_corporate-parenting-panel_2023-11-14_minutes.pdf"
    parsed = parse_bytes(pdf.name, pdf.read_bytes())
    assert [p.number for p in parsed.pages] == list(range(1, len(parsed.pages) + 1))
    assert len(parsed.pages) >= 3
    assert all(p.text.strip() for p in parsed.pages)
    assert not any("Page 2 of" in p.text for p in parsed.pages)  # page furniture is dropped


def test_markdown_front_matter_gives_title_not_date():
    data = b'---\ntitle: "Wretton Parish Council Meeting"\ndate: "2021-01-20"\n---\n**Minutes** of the meeting\n'
    parsed = parse_bytes("x.md", data)
    assert parsed.title == "Wretton Parish Council Meeting"
    assert parsed.pages[0].text == "Minutes of the meeting"


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "file is empty"),
    ("blank.md", b"  \n\n ", "file is empty"),
    ("image.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 20, "binary content"),
    ("fake.pdf", b"\x00\x01binary junk" * 50, "not a PDF"),
    ("broken.pdf", b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\ngarbage", "PDF"),
])
def test_bad_input_is_refused_with_a_reason(name, data, reason):
    with pytest.raises(ParseError, match=reason):
        parse_bytes(name, data)


def test_latin1_text_is_read_with_a_warning():
    parsed = parse_bytes("old.txt", "Café budget £500 agreed".encode("latin-1"))
    assert parsed.pages[0].text == "Café budget £500 agreed"
    assert "not valid UTF-8" in parsed.warnings[0]


@needs_shared
def test_ofsted_running_headers_are_dropped():
    pdf = SHARED / "dev" / "ofsted" / "ofsted_ilacs_leeds_2022-05-09.pdf"
    parsed = parse_bytes(pdf.name, pdf.read_bytes())
    assert not any("Inspection of Leeds local authority children’s services 21 February" in p.text
                   for p in parsed.pages[1:])
