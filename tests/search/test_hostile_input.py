"""No synonym or query, whatever its characters, breaks a search or its page.

Search matches only words, each quoted as text for SQLite's FTS5 or passed as a
parameter to PostgreSQL's ``plainto_tsquery``, so nothing a reader types or an
editor puts in a synonym is read as query syntax. The payloads are the XSS corpus
in tests/data/xss/ (provenance in its README.md): every line of every file, each
used as a query and as a synonym. One test sends every query and another puts the
synonyms in by the hundred, rather than one test per line, to stay quick.
"""

import gzip
from http import HTTPStatus
from pathlib import Path

import pytest
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.urls import reverse
from django.utils.html import escape

from search.backends import get_backend
from search.backends.postgres import tsquery
from search.backends.sqlite import fts5_match
from search.models import Synonym
from search.query import MAX_EXPANSIONS, MAX_QUERY_LENGTH, search
from search.text import content_words, has_word, words

pytestmark = pytest.mark.django_db

URL = reverse("search:search")
XSS_DIR = Path(__file__).resolve().parents[1] / "data" / "xss"
GZIP_MAGIC = b"\x1f\x8b"
# 1,502 distinct lines at the time of writing: fewer means the corpus went missing.
MIN_LINES = 1500
# Put in with each payload: a word the knowledge base has, so that the pages of
# results, with their snippets and synonym notes, are drawn too.
KNOWN_WORD = "magnesium"
# With its key phrase, a group has as many phrases as a search puts in.
SYNONYM_GROUP = MAX_EXPANSIONS - 1
SYNONYM_BATCH = 20
EXPLAINED_EMPTY = ("Nothing found for", "Our sources do not cover")


def corpus_lines() -> list[str]:
    """Every distinct line of every file in the corpus, the gzipped SVG unpacked."""
    lines: set[str] = set()
    for path in XSS_DIR.iterdir():
        data = path.read_bytes()
        if data.startswith(GZIP_MAGIC):
            data = gzip.decompress(data)
        lines.update(data.decode().splitlines())
    return sorted(lines)


LINES = corpus_lines()


@pytest.fixture
def no_rate_limit(settings):
    """Every payload is a request: far more than one reader may send a minute."""
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 1_000_000}


@pytest.fixture
def site_markup(client, knowledge_base) -> str:
    """The markup of a page of results and of a page that found nothing: a payload
    such as "<body>" is in them whatever the query, without being reflected."""
    pages = (client.get(URL, {"q": q}).text for q in (KNOWN_WORD, "zzzz"))
    return "".join(pages)


def problem(response: HttpResponse, query: str, site_markup: str = "") -> str:
    """What is wrong with a search's page, or "" when it is a proper answer: a 200
    with results, or with an empty result that says why; the query shown back
    escaped, never as markup."""
    if response.status_code != HTTPStatus.OK:
        return f"answered {response.status_code}"
    results = response.context["results"]
    if query.strip():
        if results is None:
            return "no results block"
        if not results.hits and not any(t in response.text for t in EXPLAINED_EMPTY):
            return "an empty result that does not say why"
        if escape(query) not in response.text:
            return "the query not shown back, escaped"
    if "<" in query and query in response.text and query not in site_markup:
        return "the query shown unescaped"
    return ""


def problems(client, queries: list[str], site_markup: str) -> dict[str, str]:
    found = {}
    for query in queries:
        if issue := problem(client.get(URL, {"q": query}), query, site_markup):
            found[query] = issue
    return found


def as_typed(line: str) -> str:
    """The line as the search box sends it: at most MAX_QUERY_LENGTH characters (a
    longer query is a 400 with a message, test_views)."""
    return line[:MAX_QUERY_LENGTH]


def test_corpus_is_there():
    assert len(LINES) >= MIN_LINES


@pytest.mark.parametrize(
    ("terms", "query"),
    [
        # The finding: the synonym put in had no words, leaving FTS5 an empty "()".
        (f"{KNOWN_WORD}\n---", KNOWN_WORD),
        # Nothing found for all the words: the any-word fallback had no words to
        # join on PostgreSQL.
        ("quantum flux\n---", "quantum flux"),
        ("---\n}", "---"),
    ],
)
def test_a_synonym_without_letters_or_digits_contributes_nothing(
    client, knowledge_base, terms, query
):
    Synonym.objects.create(terms=terms)
    response = client.get(URL, {"q": query})
    assert response.status_code == HTTPStatus.OK
    assert response.context["results"].synonyms == []
    assert not problem(response, query)


@pytest.mark.parametrize("any_word", [False, True])
def test_a_search_with_no_words_left_finds_nothing(any_word):
    wordless = [[], ["---", "()"]]
    assert fts5_match(wordless, any_word=any_word) == ""
    assert tsquery(wordless, any_word=any_word) is None
    backend = get_backend()
    found = backend.search(wordless, any_word=any_word, kind="", offset=0)
    assert found == ([], {})
    assert search("--- ()").total == 0


def test_hundreds_of_words_put_in_by_synonyms_get_an_answer(client, knowledge_base):
    # Nothing has all the words, so the pages with any of them are looked for.
    many = " ".join(f"word{n}" for n in range(500))
    Synonym.objects.create(terms=f"quantum\n{many}")
    response = client.get(URL, {"q": "quantum flux"})
    assert response.status_code == HTTPStatus.OK
    assert not problem(response, "quantum flux")


def test_match_expressions_quote_every_word_and_skip_the_rest():
    alternatives = [['mag"nesium', "-"], [], ["near", "or", "x"]]
    assert fts5_match(alternatives, any_word=False) == (
        '("mag""nesium") OR ("near" AND "or" AND "x")'
    )
    assert fts5_match(alternatives, any_word=True) == (
        '("mag""nesium") OR ("near" OR "or" OR "x")'
    )


def test_every_corpus_line_as_a_query_gets_an_answer(
    client, site_markup, no_rate_limit
):
    queries = sorted({as_typed(line) for line in LINES})
    assert problems(client, queries, site_markup) == {}


def test_every_corpus_line_as_a_synonym_gives_words_or_nothing(
    client, site_markup, no_rate_limit
):
    # The lines go in as groups of SYNONYM_GROUP lines and a key phrase of the
    # group's own: a search for the key puts every line of its group in, the
    # wordless ones too. (A line searched for is matched as words, like any query:
    # the test above.) Each search reads every synonym, so they go in
    # SYNONYM_BATCH groups at a time.
    groups = {
        f"{KNOWN_WORD} group{n}": LINES[start : start + SYNONYM_GROUP]
        for n, start in enumerate(range(0, len(LINES), SYNONYM_GROUP))
    }
    keys = list(groups)
    found = {}
    for start in range(0, len(keys), SYNONYM_BATCH):
        batch = keys[start : start + SYNONYM_BATCH]
        Synonym.objects.all().delete()
        Synonym.objects.bulk_create(
            Synonym(terms="\n".join([key, *groups[key]])) for key in batch
        )
        found |= problems(client, batch, site_markup)
    assert found == {}
    put_in = client.get(URL, {"q": keys[-1]}).context["results"].synonyms
    assert [use.other for use in put_in] == [
        " ".join(content_words(line) or words(line))
        for line in groups[keys[-1]]
        if has_word(line)
    ]


def test_a_search_reads_every_synonym_at_once(client, site_markup, no_rate_limit):
    Synonym.objects.bulk_create(
        Synonym(terms=f"{KNOWN_WORD} group{n}\n{line}") for n, line in enumerate(LINES)
    )
    keys = [f"{KNOWN_WORD} group{n}" for n in (0, len(LINES) // 2, len(LINES) - 1)]
    assert problems(client, [*keys, KNOWN_WORD], site_markup) == {}


@pytest.mark.parametrize("terms", ["magnesium\n---", "magnesium\n  <>  \nhypo"])
def test_a_synonym_line_without_letters_or_digits_is_refused(terms):
    with pytest.raises(ValidationError) as error:
        Synonym(terms=terms).full_clean()
    assert "Each line needs a letter or a digit" in error.value.message_dict["terms"][0]


def test_a_synonym_needs_two_terms():
    with pytest.raises(ValidationError) as error:
        Synonym(terms="magnesium\n\n").full_clean()
    assert error.value.message_dict["terms"] == [
        "Give two or more words or phrases, one per line."
    ]


def test_the_admin_refuses_a_synonym_line_without_letters_or_digits(admin_client):
    response = admin_client.post(
        reverse("admin:search_synonym_add"), {"terms": "magnesium\n---", "note": ""}
    )
    assert response.status_code == HTTPStatus.OK
    assert not Synonym.objects.exists()
    assert "Each line needs a letter or a digit, or search cannot use it" in (
        response.text
    )
    assert escape("“---”") in response.text
