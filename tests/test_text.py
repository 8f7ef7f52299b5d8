from ingest.text import collapse, normalise, paragraphs, sentences


def test_hard_wraps_join_and_bullets_split():
    text = "The panel noted the\nreport on long-\nterm placements.\n·         First point\n•\u00a0Second point\n\n\u00a0\n1. Numbered item"
    assert paragraphs(text) == [
        "The panel noted the report on long-term placements.",
        "• First point",
        "• Second point",
        "1. Numbered item",
    ]


def test_non_breaking_spaces_become_plain_spaces():
    assert normalise("Resolved:\u00a0 That the report be noted.") == "Resolved: That the report be noted."


def test_sentences_respect_abbreviations_and_keep_text_verbatim():
    paragraph = "Cllr. Smith asked about Report No. 101/2020. Mrs J. Godfrey replied “it is on track.” Agreed!"
    spans = [paragraph[s:e] for s, e in sentences(paragraph)]
    assert spans == ["Cllr. Smith asked about Report No. 101/2020.", "Mrs J. Godfrey replied “it is on track.”", "Agreed!"]


def test_collapse_matches_across_extractors():
    assert collapse("◼ Contingency  planning\nin plans") == collapse("• Contingency planning in plans")
    assert collapse("longer-\nterm") == collapse("longer-term")
