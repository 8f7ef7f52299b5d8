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


def test_html_answer_links_markers_to_sources_and_escapes_the_record():
    from assistant.present import answer_html, by_document, document_html

    answer = Answer("q", EVIL + " [1] [9]", abstained=False, citations=(_citation(1, supporting="<script>alert(1)</script>"),))
    rendered = answer_html(answer, 3) + document_html(by_document(list(answer.citations))[0], 3)
    assert '<a href="#source-3-1"' in rendered and '"#source-3-9"' not in rendered  # [9] names no source: plain text
    assert '<li class="clerk-source" id="source-3-1" tabindex="-1">' in rendered  # [n] can move focus to it
    assert 'id="answer-3" tabindex="-1"' in rendered and 'href="#answer-3"' in rendered  # and back again
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;</mark>" in rendered  # the quoted sentence, on its line
    assert "<mark><strong>&lt;script&gt;alert(1)&lt;/script&gt;</strong></mark>" in rendered  # and in the passage
    assert "<script" not in rendered and "<img" not in rendered and "<b>" not in rendered
    assert "**Bold** Council" in rendered  # the council's name as text, not markup


def _source(n, source, text, supporting=None, cited=True, page=1, **meta):
    fields = {"council": "Northmoor Borough Council", "committee": "Cabinet", "meeting_date": "2024-02-13",
              "item": "9", "kind": "minutes", **meta}
    return Citation(n=n, source=source, page=page, chunk_id=f"{source}#{n}", text=text, score=1.0,
                    supporting=supporting, cited=cited, **fields)


def test_sources_are_renumbered_in_the_order_the_answer_first_cites_them():
    from assistant.present import display_numbers, for_display

    a, b, c, d = (_source(n, f"/r/{n}.html", f"Passage {n}.", supporting=f"Passage {n}.") for n in (1, 2, 3, 4))
    further = _source(5, "/r/5.html", "Passage 5.", cited=False)
    answer = Answer("q", "Passage 3. [3]\nPassage 1. [1] Passage 3 again. [3] [7]\nPassage 2. [2]", abstained=False,
                    citations=(a, b, c, further, d))
    assert display_numbers(answer) == {3: 1, 1: 2, 2: 3, 4: 4, 5: 5}  # cited but not in the text, then the rest
    shown = for_display(answer)
    assert shown.text == "Passage 3. [1]\nPassage 1. [2] Passage 3 again. [1] [7]\nPassage 2. [3]"  # [7]: no source
    assert [(x.n, x.chunk_id) for x in shown.citations] == [(1, "/r/3.html#3"), (2, "/r/1.html#1"), (3, "/r/2.html#2"),
                                                            (4, "/r/4.html#4"), (5, "/r/5.html#5")]
    # Every marker still names the passage it named: its sentence is the one that passage holds.
    by_number = {x.n: x for x in shown.citations}
    import re

    for sentence, n in re.findall(r"(Passage \d)[^[]*\[(\d)\]", shown.text):
        assert by_number[int(n)].text.startswith(sentence)
    assert for_display(shown) == shown  # already in reading order
    assert answer.text.startswith("Passage 3. [3]") and answer.citations[0].n == 1  # the answer itself unchanged
    assert for_display(Answer("q", "none", abstained=True)).citations == ()


def test_sources_are_grouped_by_record_with_a_title_line_and_a_date_labelled_by_kind():
    from assistant.present import by_document, date_label, document_html, readable_file_name

    minutes = "/r/eastbridge_cpp_2023-11-14_minutes.pdf"
    cites = [_source(1, minutes, "RESOLVED: (1) approved.", supporting="RESOLVED: (1) approved.", item="5", minute="41",
                     committee="Corporate Parenting Panel", council="Eastbridge County Council", meeting_date="2023-11-14"),
             _source(2, "/r/000_ede271a41d0e0c0d.txt", "The Cabinet agreed.", title=None, committee=None,
                     kind="inspection_report", item=None, meeting_date="2024-05-22"),
             _source(3, minutes, "(2) extend the discount.", item="6", minute="42", committee="Corporate Parenting Panel",
                     council="Eastbridge County Council", meeting_date="2023-11-14", page=2)]
    first, second = by_document(cites)
    assert [c.n for c in first.citations] == [1, 3] and [c.n for c in second.citations] == [2]
    assert first.heading == "Eastbridge County Council — Corporate Parenting Panel, 14 Nov 2023"  # items differ
    assert first.detail == "Minutes · Meeting date: 14 November 2023 · eastbridge_cpp_2023-11-14_minutes.pdf"
    assert second.heading == "Northmoor Borough Council — Inspection report, 22 May 2024"
    assert second.detail == "Inspection date: 22 May 2024"  # a hash-named file is not shown
    lines = document_html(first, 0)
    assert "minute 41, item 5, p. 1" in lines and "minute 42, item 6, p. 2" in lines  # each line its own item
    one = by_document([cites[0]])[0]
    assert one.heading.endswith("14 Nov 2023, minute 41, item 5")
    assert "minute 41" not in document_html(one, 0).partition("<ol")[2]  # said once, in the heading
    assert [date_label(k) for k in ("minutes", "inspection_report", "decision", "report", None)] == \
        ["Meeting date", "Inspection date", "Decision date", "Published", "Date"]
    web_page = _source(5, "/r/i.html", "x", title="Issue - meetings - Care Leavers: Council Tax to 25 - Northmoor Borough Council")
    assert by_document([web_page])[0].detail == "Minutes · Meeting date: 13 February 2024 · Care Leavers: Council Tax to 25"
    assert readable_file_name("000_ede271a41d0e0c0d.txt") is None and readable_file_name("a_2024.pdf") == "a_2024.pdf"
    whole_council = _source(4, "/r/la.md", "x", council="Little Ashby Parish Council", committee="Parish Council",
                            item=None, minute="24/46")
    assert by_document([whole_council])[0].heading == "Little Ashby Parish Council — Minutes, 13 Feb 2024, minute 24/46"


def test_a_source_line_quotes_its_sentence_with_a_little_context():
    from assistant.present import quote_in_context

    words = " ".join(f"w{i}" for i in range(30))
    cited = _source(1, "/r/a.md", f"{words} The sentence quoted. {words}", supporting="The sentence quoted.")
    assert quote_in_context(cited) == ("… w26 w27 w28 w29", "The sentence quoted.", "w0 w1 w2 w3 w4 w5 w6 w7 …")
    assert quote_in_context(_source(2, "/r/a.md", words, cited=False)) == \
        ("", "", " ".join(words.split()[:24]) + " …")


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


def test_a_decision_questions_topic_is_what_it_asks_about():
    from assistant.library_view import decision_topic

    assert decision_topic("What was resolved about care leavers?") == "care leavers"
    assert decision_topic("What did Northmoor's Cabinet decide about council tax for care leavers?") == \
        "council tax for care leavers"
    assert decision_topic("What did Little Ashby decide on the play area?") == "play area"
    assert decision_topic("Was the budget approved?") == "budget"
    assert decision_topic("What was agreed?") is None
