"""The Streamlit app, run in process by AppTest over a real store and the real model."""
import base64
import datetime as dt
import io
import re
import shutil
import zipfile

import pytest
from streamlit.testing.v1 import AppTest

from conftest import CORPUS, ROOT

ASK, LIBRARY, DECISIONS = "pages_app/ask.py", "pages_app/library.py", "pages_app/decisions.py"
# A record with live HTML in it: the app must show it as text.
EVIL = (b"Little Ashby Parish Council\nMinutes of the meeting of the Parish Council held on 3 June 2024\n\n"
        b"24/061 Village hall roof <script>alert('x')</script>\n"
        b"RESOLVED: That the quote for the village hall roof <img src=x onerror=\"alert(1)\"> from Thatch & Sons be "
        b"accepted.\n")


@pytest.fixture(autouse=True)
def fresh_cache():
    import streamlit as st

    st.cache_resource.clear()
    yield
    st.cache_resource.clear()


@pytest.fixture
def app(demo_store, monkeypatch, embedder):
    monkeypatch.setenv("CLERK_STORE", str(demo_store))
    monkeypatch.delenv("CLERK_APP_PASSWORD", raising=False)
    return AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)


@pytest.fixture
def writable_app(demo_store, tmp_path, monkeypatch, embedder):
    """The app over a copy of the demo store, for tests that add or delete."""
    store = tmp_path / "store"
    shutil.copytree(demo_store, store)
    monkeypatch.setenv("CLERK_STORE", str(store))
    monkeypatch.delenv("CLERK_APP_PASSWORD", raising=False)
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)
    at.store = store
    return at


def ask(at, question):
    at.chat_input[0].set_value(question).run()
    assert not at.exception
    return at


def last_turn(at):
    """The last answer's HTML (answer first, then its sources, a block per record)."""
    return [h.value for h in at.chat_message[-1].get("html")]


def card_councils(cards):
    """The councils of the records listed, from each one's title line ("Council — body, date, item")."""
    return {re.search(r'class="clerk-heading"><strong>(.+?) — ', c).group(1) for c in cards}


def source_lines(cards):
    """Each source's line by its id, from the records' blocks."""
    return {m[1]: m[0] for c in cards for m in re.finditer(r'<li class="clerk-source" id="(source-\d+-\d+)".*?</li>', c, re.S)}


def button(at, label):
    return next(b for b in at.button if b.label == label)


def upload(at, files):
    at.switch_page(LIBRARY).run()
    at.file_uploader[0].set_value(files).run()
    button(at, "Ingest the files").click().run()
    assert not at.exception
    return at


def test_question_gets_a_cited_answer(app):
    app.run()
    assert not app.exception
    answer, *cards = last_turn(ask(app, "What was resolved about care leavers?"))
    markers = set(re.findall(r'href="#(source-0-\d+)"', answer))
    assert markers
    ids = source_lines(cards)
    assert markers <= set(ids)  # every marker links to its source's line
    for anchor in markers:  # whose supporting sentence is marked on the line and inside the passage
        assert re.search(r"<summary>.*<mark>[^<]+</mark>.*</summary>", ids[anchor], re.S)
        assert re.search(r"<mark><strong>[^<]+</strong></mark>", ids[anchor])
    assert any("care leaver" in ids[a].lower() for a in markers)
    numbers = [int(n) for n in re.findall(r'href="#source-0-(\d+)"', answer)]
    assert numbers[0] == 1 and sorted(set(numbers)) == list(range(1, max(numbers) + 1))  # numbered as first cited
    for card in cards:  # a title line, and the date labelled by the record's kind
        assert re.search(r'class="clerk-heading"><strong>[^<]+ — [^<]+</strong>', card)
        assert re.search(r"(Meeting|Inspection|Decision) date: \d+ \w+ 20\d\d|Published: ", card)
    said = [m.value for m in app.chat_message[-1].markdown]  # a decision question: the decisions on its topic
    assert "**Decisions about “care leavers”**" in said
    assert any("**Approved**" in m and "Corporate Parenting Panel" in m for m in said)  # what each did
    assert any(m.endswith("on the Decisions page](decisions?topic=care+leavers)") for m in said)
    downloads = [b.label for b in app.button]  # each sends its file to this session only (pages_app/common.py)
    assert any("(the passage is on page" in label for label in downloads)  # a PDF says which page
    assert "Export the conversation (Markdown)" in downloads


def test_follow_up_shows_what_was_searched_and_new_conversation_clears(app):
    app.run()
    ask(app, "What was resolved about care leavers?")
    ask(app, "And when does it take effect?")
    assert any(c.value.startswith("Searched for: What was resolved about care leavers") for c in app.caption)
    assert re.search(r'href="#source-1-\d+"', last_turn(app)[0])  # the second turn's chips point at its own cards
    button(app, "New conversation").click().run()
    assert not app.chat_message


def test_filters_change_the_sources_and_are_shown(app):
    app.run()
    _, *cards = last_turn(ask(app, "What was resolved about care leavers?"))
    assert len(card_councils(cards)) > 1
    app.multiselect(key="ask-councils").set_value(["Northmoor Borough Council"]).run()
    _, *cards = last_turn(ask(app, "What was resolved about care leavers?"))
    assert card_councils(cards) == {"Northmoor Borough Council"}
    assert "Filters: council Northmoor Borough Council" in [c.value for c in app.chat_message[-1].caption]
    app.date_input(key="ask-since").set_value("2024-06-01").run()
    _, *cards = last_turn(ask(app, "What was resolved about care leavers?"))
    assert all(re.search(r"(date|Published): \d+ (June|July|August|September|October|November|December) 2024", c)
               for c in cards)


def test_abstention_shows_closest_matches(app):
    app.run()
    ask(app, "What is the airspeed velocity of an unladen swallow?")
    assert [e.label for e in app.chat_message[-1].expander][0].startswith("Closest matches (not an answer) · ")
    assert not any(m.value.startswith("**Decisions about") for m in app.chat_message[-1].markdown)


def test_an_answer_shut_out_by_the_filters_is_one_click_away(app):
    app.run()
    app.multiselect(key="ask-councils").set_value(["Northmoor Borough Council"]).run()
    answer, *_ = last_turn(ask(app, "What did Little Ashby decide about the play area?"))
    assert "Nothing under the filters you set (council Northmoor Borough Council) answers this" in answer
    button(app, "Clear the filters and ask again").click().run()
    assert not app.exception and app.multiselect(key="ask-councils").value == []
    assert [m.value for m in app.chat_message[-2].get("text")] == ["What did Little Ashby decide about the play area?"]
    answer, *cards = last_turn(app)
    assert "Kestrel Play" in answer and not any(c.value.startswith("Filters:") for c in app.chat_message[-1].caption)


def test_a_council_with_no_records_points_to_the_library_page(app, monkeypatch):
    # The UK council list (assistant/councils.py) lands separately: stand in for it.
    monkeypatch.setattr("assistant.service.councils_asked", lambda q: ("Kent County Council",))
    app.run()
    answer, *_ = last_turn(ask(app, "What did Kent County Council decide about libraries?"))
    assert "I have no records of Kent County Council." in answer
    assert [p.proto.label for p in app.chat_message[-1].get("page_link")] == ["Add records on the Library page"]


def test_before_the_first_question_the_library_and_three_questions_from_it_are_shown(app):
    app.run()
    assert "The library holds **11 documents · 3 councils · 2023–2024**." in [m.value for m in app.markdown]
    examples = [b for b in app.button if b.key and b.key.startswith("example-")]
    assert len(examples) == 3 and all(b.label.startswith("What did ") for b in examples)
    assert len({b.label.split(" decide on ")[0] for b in examples}) == 3  # one from each council
    examples[0].click().run()
    assert not app.exception and len(app.chat_message) == 2
    assert app.chat_message[0].get("text")[0].value.startswith("What did ")
    answer, *cards = last_turn(app)
    assert cards and "href=\"#source-0-" in answer  # the library answers its own example
    assert not any(b.key and b.key.startswith("example-") for b in app.button)


def test_a_permalink_asks_the_question_again_under_its_filters(app):
    app.run()
    app.multiselect(key="ask-councils").set_value(["Northmoor Borough Council"]).run()
    ask(app, "What was resolved about care leavers?")
    assert app.query_params == {"q": "What was resolved about care leavers?", "council": "Northmoor Borough Council"}
    link = "[Link to this question](?q=What+was+resolved+about+care+leavers%3F&council=Northmoor+Borough+Council)"
    assert link in [m.value for m in app.chat_message[-1].markdown]

    opened = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)  # a new session opens the link
    opened.query_params.update(q="What was resolved about care leavers?", council="Northmoor Borough Council",
                               since="2031-01-01")
    opened.run()
    assert not opened.exception
    assert [t.value for t in opened.chat_message[0].get("text")] == ["What was resolved about care leavers?"]
    assert opened.multiselect(key="ask-councils").value == ["Northmoor Borough Council"]
    _, *cards = last_turn(opened)
    assert cards and card_councils(cards) == {"Northmoor Borough Council"}
    assert [w.value for w in opened.warning] == [  # a date the library does not reach is said, not kept
        "Some of the link's filters do not fit this library, so it was asked without them: since 2031\\-01\\-01\\."]


def test_empty_store_and_bad_question_are_explained(app):
    app.run()
    app.chat_input[0].set_value("x" * 50_000).run()
    assert not app.exception
    assert "limit is 2,000" in app.error[0].value


def test_upload_ingests_a_file_that_can_be_asked_about_downloaded_and_deleted(writable_app):
    at = writable_app
    at.run()
    text = (CORPUS / "little-ashby-pc_2024-09-09_minutes.md").read_bytes().replace(b"2024", b"2025")
    upload(at, [("../../LA Sept 2025 minutes.md", text, "text/markdown")])
    assert [s.value for s in at.success][0].startswith("Added: \\.\\./\\.\\./LA Sept 2025 minutes\\.md")
    assert (at.store / "uploads" / "LA_Sept_2025_minutes.md").read_bytes() == text  # kept inside the store
    assert not (at.store.parent / "LA Sept 2025 minutes.md").exists()
    rows = at.dataframe[-1].value
    assert rows[rows["document"] == "LA_Sept_2025_minutes.md"]["status"].tolist() == ["ingested"]
    assert at.metric[0].value == "12"

    at.switch_page(ASK).run()
    _, *cards = last_turn(ask(at, "What did Little Ashby resolve in September 2025?"))
    assert any("LA_Sept_2025_minutes.md" in c for c in cards)

    at.switch_page(LIBRARY).run()
    at.selectbox[0].set_value(str(at.store / "uploads" / "LA_Sept_2025_minutes.md")).run()
    download = button(at, "Download LA\\_Sept\\_2025\\_minutes\\.md")
    download.click().run()  # the file, in a page of its own that saves it: no URL serves it
    [saver] = at.get("iframe")
    stored = (at.store / "uploads" / "LA_Sept_2025_minutes.md").read_bytes()
    assert base64.b64encode(stored).decode() in saver.proto.srcdoc and '"LA_Sept_2025_minutes.md"' in saver.proto.srcdoc
    at.checkbox(key="confirm-delete").check().run()
    button(at, "Delete the document").click().run()
    assert "Deleted: LA\\_Sept\\_2025\\_minutes\\.md" in [i.value for i in at.info]
    assert at.metric[0].value == "11"
    assert not (at.store / "uploads" / "LA_Sept_2025_minutes.md").exists()


def test_bad_uploads_get_their_own_errors_and_harm_nothing(writable_app):
    at = writable_app
    at.run()
    good_pdf = (CORPUS / "eastbridge_cyp-scrutiny_2024-06-18_minutes.pdf").read_bytes()
    upload(at, [("board.pdf", good_pdf, "application/pdf")])
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w") as archive:
        archive.writestr("../../../escaped.txt", "Little Ashby Parish Council resolved to paint the bus shelter.")
        archive.writestr("board.pdf", b"%PDF-1.4 this is not really a PDF")
        archive.writestr("run.exe", b"MZ")
    upload(at, [("batch.zip", zipped.getvalue(), "application/zip")])
    errors = [e.value for e in at.error]
    assert any(e.startswith("Not added: batch\\.zip/board\\.pdf:") for e in errors)
    assert any(e.startswith("Not added: batch\\.zip/run\\.exe: unsupported file type") for e in errors)
    assert any(s.value.startswith("Added: batch\\.zip/\\.\\./\\.\\./\\.\\./escaped\\.txt") for s in at.success)
    uploads = at.store / "uploads"
    assert (uploads / "escaped.txt").is_file() and not (at.store.parent.parent / "escaped.txt").exists()
    assert (uploads / "board.pdf").read_bytes() == good_pdf  # the bad file did not replace the good one
    rows = at.dataframe[-1].value
    assert rows[rows["document"] == "board.pdf"]["status"].tolist() == ["ingested"]
    assert "failed" in rows[rows["document"] == "batch.zip/board.pdf"]["status"].tolist()


def test_a_document_with_html_in_it_is_shown_as_text(writable_app):
    at = writable_app
    at.run()
    upload(at, [("<b>evil</b>.txt", EVIL, "text/plain")])
    assert at.success[0].value.startswith("Added: \\<b\\>evil\\</b\\>\\.txt")
    at.switch_page(ASK).run()
    ask(at, "What was resolved about the village hall roof?")
    rendered = last_turn(at)
    assert any("&lt;img src=x onerror=&quot;alert(1)&quot;&gt;" in h for h in rendered)
    assert not any("<img" in h or "<script" in h for h in rendered)  # HTML: escaped as entities
    said = " ".join([m.value for m in at.markdown] + [c.value for c in at.caption])  # Markdown: backslashed
    assert "\\<script\\>" in said and not re.search(r"(?<!\\)<(img|script)", said)  # the decision's item, as text
    at.switch_page(DECISIONS).run()
    at.text_input(key="decisions-topic").set_value("village hall roof").run()
    listed = " ".join(m.value for m in at.markdown)
    assert "\\<img src=x onerror=" in listed and not re.search(r"(?<!\\)<(img|script)", listed)


def decision_items(at):
    """The decisions listed, by their heading line: date · council · body · item."""
    return [m.value.strip("*") for m in at.markdown if m.value.startswith("**") and " · " in m.value]


def test_decisions_are_listed_and_filtered(app):
    app.run()
    app.switch_page(DECISIONS).run()
    assert not app.exception
    every = decision_items(app)
    assert len({item.split(" · ")[1] for item in every}) > 1
    dates = [dt.datetime.strptime(item.split(" · ")[0], "%d %B %Y") for item in every]
    assert dates == sorted(dates, reverse=True)  # newest first without a topic
    app.multiselect(key="decisions-councils").set_value(["Little Ashby Parish Council"]).run()
    ashby = decision_items(app)
    assert 0 < len(ashby) < len(every) and all(" · Little Ashby Parish Council" in item for item in ashby)
    app.multiselect(key="decisions-effects").set_value(["approved"]).run()
    approved = decision_items(app)
    assert 0 < len(approved) < len(ashby)
    effects = [m.value for m in app.markdown if m.value.startswith("Effect: ")]
    assert len(effects) == len(approved) and all(e.startswith("Effect: **approved**") for e in effects)


def test_a_topic_lists_the_relevant_decisions_in_full_and_the_weaker_on_request(app):
    app.run()
    app.switch_page(DECISIONS).run()
    app.text_input(key="decisions-topic").set_value("care leavers").run()
    assert not app.exception and app.query_params["topic"] == "care leavers"  # a link searches it again
    relevant = decision_items(app)
    assert any("13 February 2024 · Northmoor Borough Council · Cabinet · item 9" in item for item in relevant)
    assert not any("Little Ashby" in item for item in relevant)
    assert f"{len(relevant)} decisions about “care leavers”, most relevant first." in [m.value for m in app.markdown]
    texts = " ".join(m.value for m in app.markdown)
    assert "the scheme be reviewed after twelve months" in texts  # the whole decision, not its first line
    assert ":orange-background[**care leavers**]" in texts  # the topic's words marked
    assert "litter bin" not in texts
    assert [b.label for b in app.button if "CSV" in b.label] == ["Download as CSV"]
    weaker = app.toggle(key="decisions-weaker")
    assert re.fullmatch(r"Show \d+ weaker matches", weaker.label)
    weaker.set_value(True).run()
    assert "Weaker matches" in [h.value for h in app.subheader]
    everything = decision_items(app)
    assert everything[:len(relevant)] == relevant and any("Little Ashby" in item for item in everything)
    assert len(everything) == len(relevant) + int(weaker.label.split()[1])
    linked = AppTest.from_file(str(ROOT / "app.py"), default_timeout=180)  # another session opens the link
    linked.query_params["topic"] = "beacon"
    linked.switch_page(DECISIONS).run()
    assert linked.text_input(key="decisions-topic").value == "beacon"
    assert any(m.value.endswith("decisions about “beacon”, most relevant first.") for m in linked.markdown)


def test_password_gate_shows_nothing_until_the_password_is_given(app, monkeypatch):
    monkeypatch.setenv("CLERK_APP_PASSWORD", "correct horse")
    app.run()
    assert not app.chat_input and not app.get("html") and [t.value for t in app.title] == ["Clerk"]
    app.text_input[0].set_value("wrong")
    app.button[0].click().run()
    assert "That password is not right." in [e.value for e in app.error] and not app.chat_input
    app.text_input[0].set_value("correct horse")
    app.button[0].click().run()
    assert app.chat_input and not app.exception


def test_the_inspections_page_charts_the_grades_and_lists_each_point_with_the_meetings_since(app):
    at = app.run()
    at.switch_page("pages_app/inspections.py").run()
    assert not at.exception
    assert [e for e in at.main if getattr(e, "type", None) == "vega_lite_chart"]  # the grades by date
    assert at.dataframe[0].value["council"].tolist() == ["Eastbridge County Council"]  # side by side
    shown = [re.sub(r"\\(.)", r"\1", m.value) for m in at.markdown]  # as read: Markdown's escapes undone
    point = shown.index("3. Care leavers' access to their health histories and to adult mental health services.")
    newest, older = shown[point + 1].split("\n")  # the meetings since that speak to it, newest first
    assert newest.startswith("- ↳ 2024-09-10 · Eastbridge County Council · Corporate Parenting Panel")
    assert older.startswith("- ↳ 2024-06-18 · Eastbridge County Council") and "care leavers' mental health" in older
    assert any("- ↳ 2024-06-18" in s and "to note the outcome of the Ofsted focused visit" in s for s in shown)
