"""The Markdown export reads as text and renders as the app showed it: record text escaped only where
Markdown would read it as markup, the date of the export, every source listed with its passage."""
import datetime as dt

from assistant.answers import Answer, Citation
from assistant.export import conversation_markdown, markdown_literal

PASSAGE = ("40. Care-experienced young people (aged 18-24) will pay no council tax.\n\n"
           "RESOLVED: That the scheme be approved.\n    # not a heading\n- not a list\n"
           "<script>alert(1)</script> [click](http://x.test) *loud* _em_ snake_case &amp; a\\b")


def _answer():
    supporting = "That the scheme be approved."
    citations = (Citation(n=1, source="/r/northmoor_cabinet.html", page=1, chunk_id="c1", text=PASSAGE, score=1.0,
                          council="Northmoor Borough Council", committee="Cabinet", meeting_date="2024-02-13",
                          item="9", kind="decision", supporting=supporting, cited=True),
                 Citation(n=2, source="https://x.test/minutes", page=1, chunk_id="c2", text="Also noted.", score=0.5,
                          council=None, committee=None, meeting_date=None, item=None, kind=None))
    return Answer("What was resolved?", f"At Northmoor Borough Council’s Cabinet (item 9): {supporting} [1]",
                  abstained=False, citations=citations, filters={"councils": ["Northmoor"], "committees": [],
                                                                 "since": "2024-01-01", "until": None, "kinds": [],
                                                                 "decisions_only": False})


def test_only_markup_is_escaped():
    literal = markdown_literal(PASSAGE)
    assert literal.startswith("40\\. Care-experienced young people (aged 18-24) will pay no council tax.\n\n")
    assert "\\# not a heading\n\\- not a list\n" in literal  # indentation dropped, line starts escaped
    assert ("\\<script>alert(1)\\</script> [click\\](http://x.test) \\*loud\\* \\_em\\_ snake_case \\&amp; a\\\\b"
            in literal)


def test_the_export_has_its_date_the_answer_and_every_source():
    exported = conversation_markdown([("What was resolved?", _answer()), ("x" * 3, "Cannot ask that: too long.")],
                                     dt.datetime(2026, 3, 5, 14, 7))
    assert exported.startswith("# Clerk conversation\n\nExported on 5 March 2026 at 14:07.")
    assert "## Q: What was resolved?\n\n_Filters: council Northmoor; since 2024-01-01_\n\n" in exported
    assert "At Northmoor Borough Council’s Cabinet (item 9): That the scheme be approved. [1]\n" in exported
    assert "### Sources\n\n- [1] Northmoor Borough Council · Cabinet · 2024-02-13 · item 9 · p. 1 — " \
           "northmoor_cabinet.html\n\n  > 40\\. Care-experienced young people (aged 18-24)" in exported
    assert "  > RESOLVED: **That the scheme be approved.**\n" in exported  # the quoted sentence in bold
    assert "### Further reading\n\n- [2] p. 1 — https://x.test/minutes\n\n  > Also noted." in exported
    assert "_Cannot ask that: too long._" in exported
    assert "\\-experienced" not in exported and "\\." not in exported.replace("40\\.", "")
