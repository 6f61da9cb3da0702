"""The medical terms search knows, and the words that ask for a kind of page."""

import pytest

from search.terms import (
    KNOWN_TERMS,
    Reading,
    is_known_word,
    named_terms,
    read_query,
)
from search.text import STOPWORDS, words


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("magnesium foods", ["magnesium"]),
        ("foods for calcium", ["calcium"]),
        ("what to eat for magnesium", ["magnesium"]),
        ("b12 food sources", ["b12"]),
        ("foods high in vitamin d", ["vitamin", "d"]),
        ("good sources of magnesium", ["good", "magnesium"]),
        ("magnesium rich foods", ["magnesium"]),
        ("what to eat for twitching", ["twitching"]),
    ],
)
def test_food_words_ask_for_foods_first_and_are_not_searched(query, tokens):
    reading = read_query(query)
    assert reading.tokens == tokens
    assert reading.prefer == ("food", "nutrient")


def test_a_query_of_food_words_alone_is_searched_as_it_is():
    reading = read_query("foods")
    assert reading.tokens == ["foods"]
    assert reading.prefer == ("food", "nutrient")


def test_high_is_a_food_word_only_in_high_in():
    reading = read_query("high blood pressure")
    assert reading.tokens == ["high", "blood", "pressure"]
    assert reading.prefer == ()


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("als", "ALS (amyotrophic lateral sclerosis)"),
        ("Lou Gehrig's disease", "ALS (amyotrophic lateral sclerosis)"),
        ("bells palsy", "Bell's palsy"),
        ("Bell's palsy", "Bell's palsy"),
        ("parkinsons", "Parkinson's disease"),
        ("restless legs at night", "restless legs syndrome"),
        ("tics", "tics"),
        ("ms twitching", "multiple sclerosis (MS)"),
    ],
)
def test_known_terms_are_named_however_they_are_spelt(query, name):
    assert [term.name for term in named_terms(read_query(query).tokens)] == [name]


def test_a_word_inside_another_is_not_a_term():
    assert not named_terms(read_query("almost twitching mildly").tokens)


def test_every_word_of_a_known_term_is_protected_with_its_plural():
    assert is_known_word("als")
    assert is_known_word("bells")
    assert is_known_word("sclerosis")
    assert not is_known_word("also")


def test_known_terms_are_searchable_words():
    for term in KNOWN_TERMS:
        for form in term.forms:
            assert form, term.name
            assert not set(form) & STOPWORDS, term.name
        for abbreviation in term.abbreviations:
            assert words(abbreviation) == [abbreviation], term.name


@pytest.mark.parametrize(
    ("query", "tokens"),
    [
        ("does stress cause twitching", ["stress", "twitching"]),
        ("what causes eyelid twitching", ["eyelid", "twitching"]),
    ],
)
def test_cause_words_ask_for_causes_first(query, tokens):
    assert read_query(query) == Reading(tokens, ("cause",))
