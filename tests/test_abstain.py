"""Whether the records answer: the signals, pure, and the packaged model over the demo store."""
import json

import pytest

from assistant.abstain import FEATURES, AbstentionModel, Signals, packaged_model, passage_coverage, year_not_held
from ingest.records import Chunk, Hit, RecordMeta


def _hit(text, date=None, council=None):
    return Hit(Chunk("c", "d", "s", 1, 0, len(text), None, text, RecordMeta(council=council, meeting_date=date)), 1.0)


def test_a_year_is_held_when_a_passage_is_dated_near_it_or_names_it():
    dated = [_hit("The panel met.", "2024-10-29", "Northshire County Council")]
    assert year_not_held("What did Northshire decide in 2016?", dated, ("Northshire County Council",)) == 1.0
    assert year_not_held("What did Northshire decide in 2025?", dated, ("Northshire County Council",)) == 0.0
    assert year_not_held("What happened in 2016?", [_hit("Since 2016 the service has grown.")], ()) == 0.0
    # another council's record of that year does not hold it for the council asked about
    other = [_hit("The panel met.", "2016-03-01", "Westshire County Council")]
    assert year_not_held("What did Northshire decide in 2016?", other, ("Northshire County Council",)) == 1.0
    assert year_not_held("What did Northshire decide?", dated, ()) == 0.0


def test_coverage_weighs_the_rare_words():
    hits = [_hit("The budget for agency staff"), _hit("The budget for the year")]
    terms = {"agenc", "budget"}
    assert passage_coverage(terms, hits) == 1.0
    assert passage_coverage(terms, hits[1:]) == 0.5
    assert passage_coverage(terms, hits[1:], {"agenc": 3.0, "budget": 1.0}) == 0.25


def test_the_packaged_model_reads_the_signals_it_was_fitted_on():
    model = packaged_model()
    assert len(model.weights) == len(FEATURES) and 0 < model.threshold < 1
    strong = Signals(best_relevance=0.8, rare_coverage=0.9, names_missing=0.0, council_not_held=0.0, year_not_held=0.0)
    assert model.answers(strong)
    for weak in (Signals(0.8, 0.9, 0.0, 1.0, 0.0), Signals(0.8, 0.9, 0.0, 0.0, 1.0), Signals(0.2, 0.1, 1.0, 0.0, 0.0)):
        assert not model.answers(weak), weak
    with pytest.raises(ValueError, match="fitted on"):
        AbstentionModel.from_json({**model.to_json(), "features": ["something_else"]})
    assert json.loads(json.dumps(model.to_json())) == model.to_json()


def test_a_council_the_store_holds_nothing_of_is_not_answered_for(demo_store, embedder):
    from assistant.service import Assistant
    from assistant.settings import Settings

    assistant = Assistant.open(Settings(store=demo_store), embedder=embedder)
    answered = assistant.ask("What did Little Ashby decide about the play area?")
    assert not answered.abstained
    elsewhere = assistant.ask("What did Lancashire County Council decide about the play area?")
    assert elsewhere.abstained and elsewhere.abstention_reason == "no_records_for_council"


def test_rarity_is_read_from_an_index_loaded_from_disk_before_any_search(tmp_path):
    from ingest.lexical import LexicalIndex, Passages, tokenize

    texts = ["agency staff budget", "budget for the year", "the budget was set", "budget report"]
    passages = Passages([f"c{i}" for i in range(4)], [f"d{i}" for i in range(4)], texts, [i for i in range(4)], [{}] * 4)
    LexicalIndex.build(passages, 1, {}).save(tmp_path / "lexical")
    loaded = LexicalIndex.load(tmp_path / "lexical")  # BM25 itself is read lazily, at the first need
    agency, budget = tokenize(["agency budget"])[0]
    idf = loaded.idf([agency, budget, "unheard"])
    assert idf[agency] > idf[budget] > 0 and idf["unheard"] == idf[agency]  # agency in 1 of 4, budget in all
