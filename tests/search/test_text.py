"""Site search, on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""

import pytest

from search.text import levenshtein

pytestmark = pytest.mark.django_db


def test_levenshtein():
    assert levenshtein("magnesum", "magnesium") == 1
    assert levenshtein("", "abc") == 3
    assert levenshtein("kitten", "sitting") == 3
