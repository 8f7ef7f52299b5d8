"""Document text is untrusted: what the app renders must show it literally, never interpret it."""
from assistant.answers import Answer, Citation
from assistant.present import citation_sections, text_markdown

EVIL = 'RESOLVED: That <script>alert(1)</script> and <img src=x onerror="alert(2)"> [click](http://x.test) be noted.'


def _citation(n, cited=True, supporting=None):
    return Citation(n=n, source="/r/evil<b>.txt", page=1, chunk_id=f"c{n}", text=EVIL, score=1.0,
                    council="**Bold** Council", committee=None, meeting_date=None, item=None, kind=None,
                    supporting=supporting, cited=cited)


def test_html_and_markdown_in_records_are_escaped():
    rendered = text_markdown(EVIL + " [1]")
    import re

    assert not re.search(r"(?<!\\)[<>\[\]()*]", rendered.replace("**", "").replace("[1]", ""))  # all escaped
    assert "\\<script\\>" in rendered and "\\[click\\]\\(http://x\\.test\\)" in rendered
    assert rendered.endswith("**[1]**")  # our own marker stays a marker


def test_sources_then_further_reading_or_closest_matches():
    answer = Answer("q", "x [1]", abstained=False, citations=(_citation(1), _citation(2, cited=False)))
    assert [(t, [c.n for c in cs]) for t, cs in citation_sections(answer)] == [("Sources", [1]), ("Further reading", [2])]
    silent = Answer("q", "no", abstained=True, citations=(_citation(1, cited=False),))
    assert [t for t, _ in citation_sections(silent)] == ["Closest matches (not an answer)"]


def test_html_answer_links_markers_to_cards_and_escapes_the_record():
    from assistant.present import answer_html, citation_card_html

    answer = Answer("q", EVIL + " [1] [9]", abstained=False, citations=(_citation(1, supporting="<script>alert(1)</script>"),))
    rendered = answer_html(answer, 3) + citation_card_html(answer.citations[0], 3)
    assert '<a href="#source-3-1"' in rendered and '"#source-3-9"' not in rendered  # [9] names no source: plain text
    assert 'id="source-3-1"' in rendered
    assert "<mark><strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong></mark>" in rendered
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered


def test_a_topics_words_are_marked_in_escaped_text():
    from assistant.present import marked_markdown

    text = "RESOLVED: That the Care Leavers' offer [x](http://x.test) be approved.\n    (2) <b>care</b>-experienced"
    marked = marked_markdown(text, {"care", "leaver"})
    assert marked == ("RESOLVED: That the :orange-background[**Care Leavers'**] offer "
                      "\\[x\\]\\(http://x\\.test\\) be approved\\.  \n\\(2\\) \\<b\\>:orange-background[**care**]"
                      "\\</b\\>\\-experienced")  # indentation dropped: Markdown would make it a code block


def test_an_items_title_comes_from_its_numbered_heading_or_a_one_item_records_title():
    from assistant.library_view import item_title

    def citation(heading, minute=None, item=None, title=None):
        return Citation(n=1, source="s", page=1, chunk_id="c", text="", score=1.0, council="Northmoor Borough Council",
                        committee=None, meeting_date=None, item=item, kind=None, title=title, heading=heading,
                        minute=minute)

    assert item_title(citation("18. OFSTED FOCUSED VISIT: CARE LEAVERS (Agenda Item 5)", "18", "5")) == \
        "Ofsted focused visit: care leavers"
    assert item_title(citation("24/46 Planning", "24/46")) == "Planning"
    assert item_title(citation("Payments for approval:", "24/46")) is None  # a line inside the item
    assert item_title(citation("184. Other business", "18")) is None  # another item's number
    assert item_title(citation("Minutes:", item="9", title="Issue - meetings - Care Leavers: Extension of Council "
                               "Tax Exemption to Age 25 - Northmoor Borough Council")) == \
        "Care Leavers: Extension of Council Tax Exemption to Age 25"
