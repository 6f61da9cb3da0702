"""Site search, on whichever database the suite runs (CI runs SQLite and PostgreSQL)."""

import json
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from knowledge.guidance import Guidance, doctor_guidance
from knowledge.models import Article, Nutrient
from search import views
from search.models import SearchQueryLog
from search.query import search
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


URL = reverse("search:search")


HOSTILE = [
    "",
    "a",
    '"',
    '"unbalanced',
    "magnesium*",
    "-magnesium",
    "NEAR(magnesium calcium",
    "AND OR NOT",
    "((()",
    "title:magnesium",
    "🙂 twitch 🙂",
    "שלום עולם",
    "مغنيسيوم",
    "'; DROP TABLE knowledge_article; --",
    "1' OR '1'='1",
    "\\",
    "%_%",
]


def test_results_have_type_snippet_with_highlight_and_counts(client, knowledge_base):
    response = client.get(URL, {"q": "magnesium"})
    assert response.status_code == HTTPStatus.OK
    results = response.context["results"]
    assert results.hits[0].title == "Magnesium"
    assert "<mark>" in response.text
    assert {"nutrient", "cause", "food", "article"} <= set(results.counts)
    assert results.count == sum(results.counts.values())
    assert "Nutrients (" in response.text


def test_filter_by_type(client, knowledge_base):
    response = client.get(URL, {"q": "magnesium", "type": "food"})
    kinds = {hit.kind for hit in response.context["results"].hits}
    assert kinds == {"food"}


def test_json_gives_the_same_results_in_the_same_order(client, knowledge_base):
    page = client.get(URL, {"q": "calcium"})
    data = client.get(URL, {"q": "calcium", "format": "json"}).json()
    assert data["query"] == "calcium"
    assert data["count"] == page.context["results"].count
    assert [r["title"] for r in data["results"]] == [
        hit.title for hit in page.context["results"].hits
    ]
    assert set(data["results"][0]) == {"title", "url", "type", "snippet"}


def test_pagination(client, commit):
    with commit():
        for n in range(13):
            ArticleFactory(title=f"Twitch note {n}", body="Eyelid twitch notes.")
    first = client.get(URL, {"q": "twitch note"}).context["results"]
    second = client.get(URL, {"q": "twitch note", "page": 2}).context["results"]
    assert len(first.hits) == 10 and first.has_next
    assert len(second.hits) == 3 and not second.has_next
    assert {h.url for h in first.hits}.isdisjoint({h.url for h in second.hits})


def test_typo_shows_results_for_the_correction(client, knowledge_base):
    response = client.get(URL, {"q": "magnesum"})
    results = response.context["results"]
    assert results.corrected == "magnesium"
    assert "Showing results for <strong>magnesium</strong>" in response.text


def test_synonym_match_is_announced_with_the_source_that_states_it(
    client, knowledge_base
):
    response = client.get(URL, {"q": "low magnesium"})
    uses = {(u.matched, u.other): u for u in response.context["results"].synonyms}
    use = uses["low magnesium", "hypomagnesemia"]
    assert use.source_title == "Fasciculations and Nutrient Deficiencies"
    assert f'<a href="{use.source_url}">' in response.text
    assert "#passage-" in use.source_url


def test_an_empty_result_offers_the_first_topics_and_counts_the_rest(
    client, knowledge_base, monkeypatch
):
    monkeypatch.setattr(views, "SUGGESTED_SHOWN", 2)
    nutrients = sorted(Nutrient.objects.values_list("name", flat=True))
    response = client.get(URL, {"q": "Quantum Flux"})
    offered = response.context["suggested"]
    assert [page["title"] for page in offered["pages"]] == nutrients[:2]
    assert offered["more"] == len(nutrients) - 2
    assert f", and {len(nutrients) - 2} more." in response.text


def test_a_synonym_no_source_states_is_marked_editorial(client, knowledge_base):
    response = client.get(URL, {"q": "cobalamin"})
    uses = response.context["results"].synonyms
    assert uses and all(use.source_title == "" for use in uses)
    assert "our synonym for <strong>cobalamin</strong>" in response.text
    assert "#editorial-policy" in response.text


def test_empty_result_explains_itself_and_is_logged_without_personal_data(
    client, knowledge_base
):
    response = client.get(URL, {"q": "Quantum  Flux"}, REMOTE_ADDR="203.0.113.9")
    assert response.status_code == HTTPStatus.OK
    assert "Nothing found for" in response.text
    assert reverse("knowledge:cause-list") in response.text
    assert "Topics to start from" in response.text
    client.get(URL, {"q": "quantum flux"})
    log = SearchQueryLog.objects.get()
    assert (log.query, log.count) == ("quantum flux", 2)
    assert log.date == timezone.localdate()
    fields = {f.name for f in SearchQueryLog._meta.get_fields()}
    assert fields == {"id", "query", "date", "count"}


@pytest.mark.parametrize("query", HOSTILE)
@pytest.mark.parametrize("fmt", ["", "json"])
def test_hostile_input_gets_an_answer_not_an_error(client, knowledge_base, query, fmt):
    response = client.get(URL, {"q": query, "format": fmt})
    assert response.status_code == HTTPStatus.OK
    assert Article.objects.count() == 4
    if fmt:
        assert isinstance(response.json()["results"], list)


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"q": "x" * 5000}, "at most 200 characters"),
        ({"q": "magne\x00sium"}, "Null characters are not allowed"),
        ({"q": "x", "page": "0"}, "greater than or equal to 1"),
        ({"q": "x", "page": "many"}, "Enter a whole number"),
        ({"q": "x", "type": "user"}, "Select a valid choice"),
    ],
)
def test_invalid_search_input_is_a_400_with_a_clear_message(client, params, message):
    response = client.get(URL, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    json_response = client.get(URL, {**params, "format": "json"})
    assert json_response.status_code == HTTPStatus.BAD_REQUEST
    assert json.loads(json_response.content)["errors"]


def test_only_published_content_is_found(client, commit):
    with commit():
        ArticleFactory(title="Published twitch", body="Quivering eyelid.")
        ArticleFactory(
            title="Draft twitch",
            body="Quivering eyelid.",
            status=Article.Status.DRAFT,
            published_at=None,
        )
        ArticleFactory(
            title="Scheduled twitch",
            body="Quivering eyelid.",
            published_at=timezone.now() + timedelta(days=1),
        )
    titles = [hit.title for hit in search("quivering").hits]
    assert titles == ["Published twitch"]


def test_a_search_runs_a_fixed_number_of_queries(
    client, knowledge_base, django_assert_num_queries
):
    # On PostgreSQL each backend call also sets two planner options in a
    # savepoint. A call that finds nothing is, on PostgreSQL, the best
    # candidates and the first matches (counted); on SQLite, the count. One
    # that finds a page is, on PostgreSQL, those two and the ranked page; on
    # SQLite, the count, the ranked keys and the snippets.
    postgres = connection.vendor == "postgresql"
    per_call = 4 if postgres else 0
    nothing = 2 if postgres else 1
    found = 3
    # synonyms, vocabulary, then the backend's
    with django_assert_num_queries(2 + found + per_call):
        client.get(URL, {"q": "magnesium"})
    # From here the synonyms are kept until the content changes.
    # vocabulary, nothing found, typo candidates, then the corrected query's page
    with django_assert_num_queries(1 + nothing + 1 + found + 3 * per_call):
        client.get(URL, {"q": "magnesum"})
    # ... nothing found, then nothing by the any-word fallback either: the log
    # (update, then insert) and the popular topics
    with django_assert_num_queries(1 + nothing + 1 + nothing + 3 + 3 * per_call):
        client.get(URL, {"q": "qwertyuiop asdfghjkl"})
    # asking for food reorders the same queries as a plain search
    with django_assert_num_queries(1 + found + per_call):
        client.get(URL, {"q": "what to eat for magnesium"})
    # a term the sources do not cover: vocabulary, nothing found, the log
    # (update, then insert) and the general guidance; no correction, no
    # any-word fallback, no popular topics
    with django_assert_num_queries(1 + nothing + 3 + per_call):
        client.get(URL, {"q": "ALS twitching"})


def test_a_term_the_sources_do_not_cover_is_said_plainly_with_when_to_see_a_doctor(
    client, knowledge_base
):
    response = client.get(URL, {"q": "ALS"})
    assert response.status_code == HTTPStatus.OK
    assert "Our sources do not cover ALS (amyotrophic lateral sclerosis)." in (
        response.text
    )
    assert response.context["results"].corrected == ""  # not "also"
    guidance = doctor_guidance()
    assert guidance.general and guidance.red_flags
    assert response.context["general_guidance"] == guidance.general
    assert response.context["red_flags"] == guidance.red_flags
    assert "When to see a doctor" in response.text
    for item in guidance.general:
        assert item.get_passage_url() in response.text
    for flag in guidance.red_flags:
        assert flag.words in response.text
    assert 'class="search-results"' not in response.text
    assert "Nothing found" not in response.text
    assert "Topics to start from" not in response.text


def test_a_term_the_sources_do_not_cover_gives_no_json_results(client, knowledge_base):
    data = client.get(URL, {"q": "parkinsons twitching", "format": "json"}).json()
    assert (data["count"], data["results"]) == (0, [])


def test_the_guidance_comes_from_the_callable_the_setting_names(
    client, knowledge_base, settings
):
    settings.SEARCH_GUIDANCE = "tests.search.test_views.no_guidance"
    response = client.get(URL, {"q": "dystonia"})
    assert response.context["general_guidance"] == []
    assert "Our sources do not cover dystonia." in response.text
    assert "When to see a doctor" not in response.text


def no_guidance() -> Guidance:
    return Guidance(general=[], red_flags=[])


@pytest.fixture
def count_limit(monkeypatch):
    """Matches are counted to 3, and as many are ranked."""
    import search.backends.base
    import search.backends.postgres
    import search.backends.sqlite
    import search.query
    import search.views

    for module in (search.backends.base, search.backends.sqlite, search.query):
        monkeypatch.setattr(module, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search.views, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search.backends.postgres, "COUNT_LIMIT", 3)
    monkeypatch.setattr(search.backends.postgres, "CANDIDATES", 3)
    monkeypatch.setattr(search.backends.sqlite, "CANDIDATES", 3)
    return 3


def test_past_the_counting_limit_the_page_says_how_many_at_least(
    client, commit, count_limit, settings
):
    settings.SEARCH_CACHE = ""
    with commit():
        for n in range(5):
            ArticleFactory(title=f"Twitch note {n}", body="Eyelid twitch notes.")
    response = client.get(URL, {"q": "eyelid"})
    text = " ".join(response.text.split())
    assert "3+ results, the best first" in text
    assert "Everything (3+)" in text
    assert "Articles (3+)" in text  # each kind's count: how many at least
    assert "only the first 3 are counted and ranked" in text
    data = client.get(URL, {"q": "eyelid", "format": "json"}).json()
    assert data["count_capped"] is True
    # Only the best candidates are ranked and listed: three of the five.
    assert len(data["results"]) == 3
    # Under the limit, the count is exact and said plainly.
    one = client.get(URL, {"q": "note 4"})
    assert "1 result" in one.text
    assert "counted and ranked" not in one.text
