"""Cleaning the search box's text, without a database."""

from catalogue.search import MAX_QUERY_LENGTH, SearchQuery


def test_spaces_are_folded():
    assert SearchQuery.from_raw("  file   compression \n").text == "file compression"


def test_missing_query_is_empty():
    assert SearchQuery.from_raw(None) == SearchQuery("")


def test_control_characters_are_dropped():
    assert SearchQuery.from_raw("js\x00on\x1b").text == "js on"


def test_long_query_is_cut_and_flagged():
    query = SearchQuery.from_raw("a" * 5000)
    assert query.truncated
    assert len(query.text) == MAX_QUERY_LENGTH


def test_short_query_is_not_flagged():
    assert not SearchQuery.from_raw("json").truncated


def test_only_letters_and_digits_are_searched():
    assert SearchQuery.from_raw("os.path").has_words
    assert SearchQuery.from_raw("日本語").has_words
    assert not SearchQuery.from_raw("%_*?!").has_words
