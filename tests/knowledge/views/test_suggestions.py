"""The names suggested as a reader types in a table's filter."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.tables.base import SEARCH_MAX_LENGTH
from knowledge.tables.choices import SUGGESTIONS_SHOWN
from tests.factories import CauseFactory, FoodSourceFactory, NutrientFactory

pytestmark = pytest.mark.django_db


def suggest(client, kind: str, **params):
    return client.get(reverse("knowledge:suggestions", kwargs={"kind": kind}), params)


def names(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    return response.json()["suggestions"]


def test_names_that_start_with_the_text_come_first_then_those_that_contain_it(
    client,
):
    for name in ["Fortified milk", "Milk", "Dark chocolate", "Millet", "Almonds"]:
        FoodSourceFactory(name=name)
    assert names(suggest(client, "foods", q="mil")) == [
        "Milk",
        "Millet",
        "Fortified milk",
    ]


def test_any_case_matches_and_the_text_is_trimmed(client):
    NutrientFactory(name="Magnesium")
    NutrientFactory(name="Vitamin B12")
    assert names(suggest(client, "nutrients", q="  MAGN ")) == ["Magnesium"]
    assert names(suggest(client, "nutrients", q="b12")) == ["Vitamin B12"]
    assert suggest(client, "nutrients", q=" MAGN").json()["q"] == "MAGN"


def test_each_kind_suggests_its_own_names(client):
    FoodSourceFactory(name="Salmon")
    CauseFactory(name="Salt excess")
    NutrientFactory(name="Sodium")
    assert names(suggest(client, "foods", q="s")) == ["Salmon"]
    assert names(suggest(client, "causes", q="s")) == ["Salt excess"]
    assert names(suggest(client, "nutrients", q="s")) == ["Sodium"]


def test_at_most_ten_names_the_first_by_name(client):
    for n in reversed(range(15)):
        FoodSourceFactory(name=f"Bean {n:02}")
    found = names(suggest(client, "foods", q="bean"))
    assert SUGGESTIONS_SHOWN == 10
    assert found == [f"Bean {n:02}" for n in range(10)]


def test_wildcards_in_the_text_are_only_characters(client):
    FoodSourceFactory(name="Oats")
    FoodSourceFactory(name="100% juice")
    assert names(suggest(client, "foods", q="%")) == ["100% juice"]
    assert names(suggest(client, "foods", q="_")) == []


@pytest.mark.parametrize("params", [{}, {"q": ""}, {"q": "   "}])
def test_no_text_suggests_nothing(client, params):
    FoodSourceFactory(name="Oats")
    response = suggest(client, "foods", **params)
    assert names(response) == []


@pytest.mark.parametrize(
    ("q", "error"),
    [
        ("x" * (SEARCH_MAX_LENGTH + 1), "at most 100 characters"),
        ("oa\x00ts", "Null characters are not allowed."),
    ],
)
def test_bad_text_is_a_clear_400_not_a_500(client, q, error):
    FoodSourceFactory(name="Oats")
    response = suggest(client, "foods", q=q)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert error in response.json()["errors"]["q"][0]


def test_text_at_the_limit_is_answered(client):
    response = suggest(client, "foods", q="x" * SEARCH_MAX_LENGTH)
    assert names(response) == []


def test_an_unknown_kind_is_not_found(client):
    response = suggest(client, "symptoms", q="cramp")
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_suggestions_are_not_for_search_engines(client):
    response = suggest(client, "foods", q="oat")
    assert response["X-Robots-Tag"] == "noindex"
    assert response["Content-Type"] == "application/json"


@pytest.mark.parametrize("count", [3, 300])
def test_one_query_however_many_names_there_are(
    client, django_assert_num_queries, settings, count
):
    settings.PAGE_CACHE_SECONDS = 0  # each request reaches the view
    FoodSourceFactory.create_batch(count)
    with django_assert_num_queries(1):
        response = suggest(client, "foods", q="food")
    assert len(names(response)) == min(count, SUGGESTIONS_SHOWN)


def test_suggestions_come_from_the_page_cache_and_follow_edits(
    client, django_assert_num_queries
):
    food = FoodSourceFactory(name="Oats")
    assert suggest(client, "foods", q="oa")["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        again = suggest(client, "foods", q="oa")
    assert again["X-Cache"] == "hit"
    assert names(again) == ["Oats"]
    food.name = "Oatmeal"
    food.save()
    assert names(suggest(client, "foods", q="oa")) == ["Oatmeal"]


def test_other_parameters_are_not_cached(client):
    FoodSourceFactory(name="Oats")
    response = suggest(client, "foods", q="oa", made_up="1")
    assert names(response) == ["Oats"]
    assert "X-Cache" not in response
