"""A permalink carries a question and its filters, and comes back as the filters this library can take."""
from urllib.parse import parse_qs

from assistant.answers import Answer
from assistant.links import answer_link, linked_question
from ingest.filters import Filters

FACETS = [{"council": "Northmoor Borough Council", "committee": "Cabinet", "date": 20240213, "kind": "decision"},
          {"council": "Little Ashby Parish Council", "committee": "Parish Council", "date": 20240909, "kind": "minutes"}]


def test_a_link_comes_back_as_the_question_and_filters_it_was_made_of():
    filters = Filters(councils=("Northmoor Borough Council",), committees=("Cabinet",), since="2024-02-20",
                      until="2024-06-30", kinds=("decision",), decisions_only=True)
    answer = Answer("And when?", "…", abstained=False, standalone_question="What was resolved? And when?",
                    filters=filters.to_json())
    params = parse_qs(answer_link(answer)[1:])
    linked = linked_question(params, FACETS)
    assert linked.question == "What was resolved? And when?"  # a follow-up's link stands on its own
    assert linked.filters == filters and linked.dropped == []


def test_what_the_library_cannot_offer_is_left_out_and_named():
    params = {"q": ["  "], "council": ["Kent County Council"]}
    assert linked_question(params, FACETS) is None  # asks nothing
    params = {"q": ["Play area?"], "council": ["Kent County Council", "Little Ashby Parish Council"],
              "committee": ["Cabinet"], "since": ["2024-13-45"], "until": ["2030-01-01"], "kind": ["poem"]}
    linked = linked_question(params, FACETS)
    # Cabinet is not Little Ashby's; an "until" after the last meeting is the last meeting.
    assert linked.filters == Filters(councils=("Little Ashby Parish Council",), until="2024-09-09")
    assert linked.dropped == ["council Kent County Council", "committee Cabinet", "kind poem", "since 2024-13-45"]
    shut_out = linked_question({"q": ["Play area?"], "since": ["2001-01-01"], "until": ["2002-01-01"]}, FACETS)
    assert shut_out.filters == Filters(since="2024-02-13") and shut_out.dropped == ["until 2002-01-01"]
