"""Sentences are quoted only from records about what the question names: a record of unknown council that
names another council most is that council's, whatever it mentions in passing."""
from assistant.service import Assistant
from assistant.settings import Settings
from conftest import FakeModel
from ingest.embed import DEFAULT_MODEL, Embedder

# Named twice in different items past its title area, too few for ingest to take it as the record's council.
PANEL = ("Corporate Parenting Panel\n\nMinutes of the meeting held on 10 December 2024\n\n"
         "1. Fostering update\n\nThe service approved 41 new foster carers in 2024 and its recruitment campaign "
         "continues. Half of the children placed outside the county were placed in Medway. " + "The panel thanked the "
         "foster carers who spoke at the meeting about their first year, the training they had received and the "
         "support of their social workers, and asked for the survey of carers to be shared with members. " * 2 +
         "\n\n"
         "2. Virtual school\n\nThe headteacher of the Virtual School reported on attendance, which had risen across "
         "Kent County Council's schools this autumn.\n\n"
         "3. Participation\n\nThe participation team described the summer programme, which Kent County Council "
         "funds, and its 300 young people.\n")
REPORT = ("Inspection of Medway local authority children's services\n\nInspection dates: 17 to 28 July 2023\n\n"
          "Medway Council has improved its services for children in care since the last inspection.\n")


def test_a_record_of_another_council_is_not_quoted_for_the_council_it_mentions(tmp_path):
    records = tmp_path / "records"
    records.mkdir()
    (records / "panel_2024-12-10_minutes.txt").write_text(PANEL, encoding="utf-8")
    (records / "medway_inspection_2023.txt").write_text(REPORT, encoding="utf-8")
    assistant = Assistant.open(Settings(store=tmp_path / "store"), Embedder(DEFAULT_MODEL, 384, FakeModel))
    assert not assistant.ingest([records]).failed
    councils = {c.meta.council for c in assistant.library.store.get(assistant.library.lexical().ids)}
    assert councils == {None, "Medway Council"}  # the panel's minutes do not say whose they are

    def quotable(question: str) -> set[str]:
        draft = assistant.draft(question, k=5)
        return {draft.hits[c.hit_index].chunk.source.rsplit("/", 1)[-1]
                for c, r in zip(draft.candidates, draft.relevance) if r > -1}

    assert "panel_2024-12-10_minutes.txt" not in quotable("How many foster carers did Medway Council approve in 2024?")
    assert "panel_2024-12-10_minutes.txt" in quotable("How many foster carers did Kent County Council approve in 2024?")
