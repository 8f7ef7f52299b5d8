"""The precedent finder lists the decisions about a topic, not the nearest N: a relevance cut-off, with the
weaker matches on request."""
import json
import re

from assistant.cli import main
from assistant.service import Assistant, relevant_decisions
from assistant.settings import Settings
from ingest.lexical import tokenize
from ingest.records import Chunk, Hit, RecordMeta


def _hit(text, score, lead=None, heading=None, chunk_id="c"):
    return Hit(Chunk(chunk_id, "d", "s", 1, 0, len(text), heading, text, RecordMeta(), lead=lead), score)


def _idf(topic, weights):
    terms = tokenize([topic])[0]
    assert sorted(terms) == sorted(weights)  # the test's words are the ones tokenize keeps
    return weights


def test_a_decision_must_hold_most_of_the_topics_weight_and_score_near_the_best():
    idf = _idf("council tax", {"council": 0.7, "tax": 2.0})
    hits = [_hit("RESOLVED: That the council tax discount be extended.", 0.032),
            _hit("RESOLVED: That the Parish Council buy a bench.", 0.031),  # only the common word
            _hit("RESOLVED: That the report be noted.", 0.030, heading="7. Tax base 2024/25"),  # by its heading
            _hit("RESOLVED: That the scheme be approved.", 0.029, lead="Members asked about council tax arrears."),
            _hit("RESOLVED: That tax advice be sought.", 0.010)]  # its words, but far below the best
    assert relevant_decisions(hits, idf) == [True, False, True, True, False]
    noted = [hits[0], _hit("RESOLVED: That the report be noted.", 0.031, chunk_id="noted")]
    # "Noted" says nothing of council tax; the discussion it closes may.
    assert relevant_decisions(noted, idf, {"noted": "The precept and council tax were discussed."}) == [True, True]
    assert relevant_decisions(hits, {}) == [False] * 5  # a topic of no searchable word: nothing is relevant


def _decisions(demo_store, embedder, topic):
    found = Assistant.open(Settings(store=demo_store), embedder=embedder).decisions(topic)
    relevant = [e for e in found if not e.weaker]
    assert [e.citation.n for e in found] == list(range(1, len(found) + 1))
    assert found[:len(relevant)] == relevant  # the relevant ones first
    return relevant, found[len(relevant):]


def test_care_leavers_lists_the_care_leaver_decisions_and_not_the_rest(demo_store, embedder):
    relevant, weaker = _decisions(demo_store, embedder, "care leavers")
    listed = {(e.citation.council, e.citation.meeting_date, e.citation.text.split("\n")[-1][:40]) for e in relevant}
    for council, date, words in [
            ("Eastbridge County Council", "2023-11-14", "Care Leavers' Local Offer 2024-26 be approved"),
            ("Eastbridge County Council", "2024-06-18", "to note the outcome of the Ofsted focused visit"),
            ("Eastbridge County Council", "2024-09-10", "cost of extending the council tax discount"),
            ("Eastbridge County Council", "2024-09-10", "write to every care leaver"),
            ("Northmoor Borough Council", "2024-02-13", "council tax reduction for care leavers"),
            ("Northmoor Borough Council", "2024-07-12", "focused report on services for care leavers"),
            # by the discussion it closes (what else was planned for care leavers), not by its own words
            ("Northmoor Borough Council", "2024-01-26", "Children's Services Improvement Plan 2023–25")]:
        assert any(e.citation.council == council and e.citation.meeting_date == date and words in e.citation.text
                   for e in relevant), (council, date, words, listed)
    assert len(relevant) <= 8
    def said(entries):
        return " ".join(f"{e.citation.heading} {e.citation.text}" for e in entries).lower()

    # Parish business and children-in-care reports share no word with care leavers, or only "care": weaker.
    for unrelated in ("litter bin", "beacon", "speed indicator", "performance scorecard", "education, health and care"):
        assert unrelated not in said(relevant) and unrelated in said(weaker), unrelated
    assert not {e.citation.council for e in relevant} & {"Little Ashby Parish Council"}


def test_the_cli_leaves_out_the_weaker_matches_and_says_so(demo_store, embedder, capsys):
    store = str(demo_store)
    assert main(["decisions", "--topic", "beacon", "--store", store]) == 0
    out = capsys.readouterr().out
    relevant = len(re.findall(r"^\[\d+\] ", out, flags=re.M))
    assert "support the lighting of a beacon" in out and "litter bin" not in out
    left_out = int(out.rsplit("\n", 2)[-2].split()[0])
    assert out.rstrip().endswith(f"{left_out} weaker matches left out; --all lists them.") and left_out > 0
    assert main(["decisions", "--topic", "beacon", "--all", "--json", "--store", store]) == 0
    listed = json.loads(capsys.readouterr().out)
    assert len(listed["decisions"]) == relevant + left_out and listed["weaker_left_out"] == 0
    assert [d["weaker"] for d in listed["decisions"]] == [False] * relevant + [True] * left_out
