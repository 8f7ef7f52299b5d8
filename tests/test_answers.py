"""What the extractive answer may quote: only records about what the question names."""
import json

from assistant.citations import problems


def _record(folder, name: str, text: str, **meta) -> None:
    (folder / name).write_text(text, encoding="utf-8")
    (folder / f"{name}.meta.json").write_text(json.dumps({"kind": "minutes", **meta}), encoding="utf-8")


def test_sentences_are_quoted_only_from_records_that_name_what_the_question_is_about(make_assistant, tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    _record(records, "oakley_2021-03-02.txt",
            "Oakley Town Council\nMinutes of the Full Council meeting held on 2 March 2021\n\n1. Apologies\n"
            "Apologies were received from Councillor Reed.\n\n2. Closure\n"
            "The Mayor thanked everyone for attending and the meeting closed at 9.15pm.\n",
            council="Oakley Town Council", committee="Full Council", meeting_date="2021-03-02")
    _record(records, "bramford_2022-06-01.txt",
            "Bramford Parish Council\nMinutes of the meeting held on 1 June 2022\n\n1. Footpaths\n"
            "The clerk reported that the footpath to Westbury had been cleared by volunteers.\n",
            council="Bramford Parish Council", committee="Parish Council", meeting_date="2022-06-01")
    assistant = make_assistant()
    assert assistant.ingest([records]).count("added") == 2

    oakley = assistant.ask("At what time did Oakley Town Council's meeting close?")
    assert not oakley.abstained and "closed at 9.15pm" in oakley.text and problems(oakley) == []
    # Bramford's minutes name Westbury, and Oakley's say when a meeting closed; neither answers this.
    westbury = assistant.ask("At what time did Westbury Town Council's meeting close?")
    assert westbury.abstained and not any(c.cited for c in westbury.citations)
    # A year the records never mention: Oakley's 2021 minutes do not say when its 2023 meeting closed.
    assert assistant.ask("At what time did Oakley Town Council's meeting in 2023 close?").abstained


def test_a_body_named_in_lower_case_must_be_mentioned_as_a_body():
    from assistant.compose import key_terms, missing_terms
    from ingest.records import Chunk, Hit, RecordMeta

    def hit(text, committee=None):
        return Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta(committee=committee)), 1.0)

    assert key_terms("Who chairs the planning committee?") == {"planning committee"}
    assert key_terms("Did any committee members oppose that?") == set()
    loose = hit("Workforce planning was considered. The Committee noted the report.")
    assert missing_terms("Who chairs the planning committee?", [loose]) == {"planning committee"}
    assert missing_terms("Who chairs the planning committee?", [hit("Noted.", committee="Planning\nCommittee")]) == set()


def test_either_year_of_a_financial_year_will_do():
    from assistant.compose import key_terms, missing_terms
    from ingest.records import Chunk, Hit, RecordMeta

    text = "Finance at 31st March 2020: Current Account £5289.89"
    balance = Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta()), 1.0)
    # The 2019/20 accounts are reported "at 31 March 2020".
    assert key_terms("What was in the bank at the end of 2019/20?") == {"2019/2020"}
    assert missing_terms("What was in the bank at the end of 2019/20?", [balance]) == set()
    assert missing_terms("What was in the bank at the end of 2021/22?", [balance]) == {"2021/2022"}


def test_a_follow_up_is_answered_about_what_it_asks(demo_store, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.open(Settings(store=demo_store), embedder=embedder)
    answer = assistant.ask("And what about their pathway plans?",
                           history=["What did the Eastbridge focused visit find about care leavers?"])
    assert not answer.abstained and answer.standalone_question
    # The conversation finds the records; the new question picks what is quoted from them.
    assert "pathway plan" in answer.text.splitlines()[0].lower()
    assert not problems(answer)


def test_a_cover_line_is_quoted_only_when_the_question_asks_what_it_says(make_assistant, tmp_path):
    from assistant.compose import Candidate, label_value, unasked_labels
    from ingest.lexical import tokenize

    assert label_value("Inspection dates: 4 to 15 March 2024") == "4 to 15 March 2024"
    assert label_value("RESOLVED: That the payments be approved.") is None
    assert label_value("Resolved That: The Improving Lives Select Commission:") is None
    lines = [Candidate(0, 0, "Inspection dates: 4 to 15 March 2024"),
             Candidate(0, 1, "Lead inspector: Jane Doe, His Majesty’s Inspector"),
             Candidate(0, 2, "Responses to domestic abuse do not match the level of need in 2024.")]
    asked = set(tokenize(["Which inspections in 2024 were led by Jane Doe?"])[0])
    assert unasked_labels(lines, asked).tolist() == [True, False, False]

    records = tmp_path / "records"
    records.mkdir()
    _record(records, "westshire_ilacs_2024-03-15.txt",
            "Inspection of Westshire local authority children’s services\n\nInspection dates: 4 to 15 March 2024\n\n"
            "Lead inspector: Jane Doe, His Majesty’s Inspector\n\n"
            "Children’s services in Westshire are good. Leaders know their services well. Despite investment, "
            "the response to domestic abuse is not proportionate to demand in the county.\n",
            council="Westshire", meeting_date="2024-03-15", kind="inspection_report")
    assistant = make_assistant()
    assert assistant.ingest([records]).count("added") == 1
    answer = assistant.ask("Although Westshire was rated good in 2024, which area of work did inspectors say "
                           "still fell short of the level of need?")
    # Said as an answer, the inspection dates would mislead; the passage is still offered.
    assert "Inspection dates" not in answer.text and "Lead inspector" not in answer.text
    assert any("domestic abuse" in c.text for c in answer.citations) and not problems(answer)


def test_a_long_sentence_is_quoted_by_its_clauses():
    from assistant.compose import candidate_sentences
    from ingest.records import Chunk, Hit, RecordMeta

    text = ("RESOLVED that the Cabinet Member be asked to:(i)agree to the continuation of Supported Lodgings and "
            "Staying Put accommodation for young people aged 16-21 years through a change of delivery from "
            "contracted provision;(ii)agree to a short extension of 6 months to the current contract that expires "
            "on 31 May 2020 to enable the changes to take place; and (iii) delegate decisions about the new "
            "service to the Corporate Director, in consultation with the Cabinet Member.")
    chunk = Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta())
    quoted = [c.text for c in candidate_sentences([Hit(chunk, 1.0)])]
    assert len(quoted) == 3 and all(q in text for q in quoted)
    assert quoted[1].startswith("(ii)agree to a short extension") and quoted[1].endswith("place;")
    # Minutes flattened to one line: a payments table's cells end where an amount in pence meets a capital.
    flat = ("6. Accounts were presented and accepted for payment. Cheques for approval of payment Clerk’s salary "
            "£118.44 Clerk’s Expenses (postage and storage boxes) £28.00 K & M Lighting Services x2 (streetlight "
            "maintenance) £38.64 Software annual licence £59.99 CGM grass cutting (March) £234.00 Zurich annual "
            "insurance £406.48 Finance – @ 31st March 2020: Current Account £5289.89 Business Premium Account "
            "£3467.15 Councillors had been presented with the end of year accounts and bank reconciliation.")
    pieces = [c.text for c in candidate_sentences([Hit(Chunk("c", "d", "s", 1, 0, len(flat), None, flat,
                                                             RecordMeta()), 1.0)])]
    assert all(p in flat for p in pieces) and all(len(p.split()) <= 40 for p in pieces)
    assert len(pieces) > 2 and any("Current Account £5289.89" in p for p in pieces)
    short = "RESOLVED: That the report be noted; and that a further update be given in June."
    assert [c.text for c in candidate_sentences([Hit(Chunk("c", "d", "s", 1, 0, len(short), None, short,
                                                           RecordMeta()), 1.0)])] == [short]


def test_a_sentence_of_the_form_asked_for_is_preferred_and_a_question_is_never_quoted():
    from assistant.compose import answer_forms, candidate_sentences
    from ingest.records import Chunk, Hit, RecordMeta

    text = ("How many children are educated at home in the county this year?\n\n"
            "There are 2,140 children educated at home, up from 1,905 a year ago.\n\n"
            "Elective home education is a parent's right and the council supports families.")
    hit = Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta()), 1.0)
    candidates = candidate_sentences([hit])
    assert [c.text[:9] for c in candidates] == ["There are", "Elective "]  # the councillor's question is not an answer
    assert answer_forms("How many children are educated at home?", candidates).tolist() == [1.0, 0.0]
    assert answer_forms("When did the panel meet?", candidates).tolist() == [0.0, 0.0]
    assert answer_forms("Why is home education rising?", candidates).tolist() == [0.0, 0.0]


def test_a_meeting_of_the_whole_council_is_introduced_as_the_council():
    from assistant.answers import Citation
    from assistant.compose import _lead_in

    def citation(council, committee):
        return Citation(1, "s", 1, "c", "text", 1.0, council, committee, "2024-09-09", None, "minutes")

    assert _lead_in(citation("Little Ashby Parish Council", "Parish Council")) == \
        "At Little Ashby Parish Council on 9 September 2024: "
    assert _lead_in(citation("Kent County Council", "Cabinet")) == "At Kent County Council’s Cabinet on 9 September 2024: "


def test_a_council_asked_about_by_its_short_form_is_mentioned_by_its_official_name():
    from assistant.compose import missing_terms
    from ingest.records import Chunk, Hit, RecordMeta

    text = "Lead inspector: Steve Lowe, Her Majesty’s Inspector"
    bcp = Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text,
                    RecordMeta(council="Bournemouth, Christchurch and Poole Council")), 1.0)
    assert missing_terms("Who led Ofsted's inspection of BCP children's services?", [bcp]) == set()
    assert missing_terms("Who led Ofsted's inspection of Hull children's services?", [bcp]) == {"hull"}


def test_a_name_the_records_abbreviate_is_mentioned_by_its_initials():
    from assistant.compose import missing_terms
    from ingest.records import Chunk, Hit, RecordMeta

    text = "Noted that CIL payment of £1441.01 was received 28.10.19."
    cil = Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta(council="Wretton Parish Council",
                                                                                      meeting_date="2019-11-04")), 1.0)
    question = "How much Community Infrastructure Levy money did Wretton receive in 2019?"
    assert missing_terms(question, [cil]) == set()
    # Initials in lower case are a word, not an abbreviation; and a name whose initials are absent is missing.
    lower = Hit(Chunk("c", "d", "s", 1, 0, 20, None, "the cil was noted", RecordMeta(council="Wretton Parish Council",
                                                                                 meeting_date="2019-11-04")), 1.0)
    assert missing_terms(question, [lower]) == {"community", "infrastructure", "levy"}


def test_initials_of_a_name_with_commas_and_a_plural():
    from assistant.query import initialisms

    assert initialisms("How many Education, Health and Care Plans did Kent issue?") == {
        "EHCP": ("Education", "Health", "Care", "Plans")}


def test_asked_what_was_resolved_the_decisions_quoted_come_first():
    import numpy as np

    from assistant.compose import Candidate, compose
    from ingest.records import Chunk, Hit, RecordMeta

    def hit(n, text, date):
        meta = RecordMeta(council="Eastbridge County Council", committee=f"Panel {n}", meeting_date=date, kind="minutes")
        return Hit(Chunk(f"c{n}", f"d{n}", f"s{n}", 1, 0, len(text), None, text, meta), 1.0)

    talk = "Members discussed the support given to care leavers in detail."
    resolved = "RESOLVED: That the Care Leavers' Local Offer be approved."
    hits = [hit(1, talk, "2024-06-18"), hit(2, resolved, "2023-11-14")]
    candidates = [Candidate(0, 0, talk), Candidate(1, 0, resolved, decision=True)]
    relevance = np.asarray([0.7, 0.65])
    for question, first in (("What was resolved about care leavers?", resolved), ("How are care leavers supported?", talk)):
        answer = compose(question, hits, candidates, relevance, answers=True, max_sentences=5)
        assert first in answer.text.splitlines()[0]
