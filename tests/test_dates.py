import pytest

from ingest.dates import find_dates


@pytest.mark.parametrize("text,iso", [
    ("Minutes of the meeting held on Tuesday 2nd April 2019 at 7pm", "2019-04-02"),
    ("WAS HELD THIS 12TH DAY OF JANUARY, 2011 AT 9:30 A.M.", "2011-01-12"),
    ("January the Seventh, Two Thousand and Fifteen", "2015-01-07"),
    ("May the Twenty-Ninth, Two Thousand and Nineteen\n\nFrank G. Jackson", "2019-05-29"),
    ("REGULAR MEETING OF COUNCIL\nTuesday, 2024 March 5, 9:30 AM", "2024-03-05"),  # Calgary's order
])
def test_dates_are_read_as_councils_write_them(text, iso):
    assert [d for _, d in find_dates(text)] == [iso]


def test_words_that_are_not_numbers_are_no_date():
    assert find_dates("June the Banana, Two Thousand and Five") == []
