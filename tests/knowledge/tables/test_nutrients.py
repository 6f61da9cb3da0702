"""The comparison tables: filters, sorting, exports, bad input and query counts."""

from http import HTTPStatus

import pytest

from knowledge.models import (
    NOT_STATED,
)
from knowledge.tables.base import TableView
from tests.factories import (
    FoodSourceFactory,
    NutrientFactory,
    link_food,
)
from tests.knowledge.tables.pages import NUTRIENTS, csv_rows, names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({}, ["Calcium", "Magnesium", "Vitamin B12"]),
        ({"kind": "vitamin"}, ["Vitamin B12"]),
        ({"food": "dairy"}, ["Calcium", "Vitamin B12"]),
        ({"diet": "vegan"}, ["Calcium", "Magnesium"]),
        ({"diet": "vegetarian"}, ["Calcium", "Magnesium", "Vitamin B12"]),
        ({"cause": "magnesium-deficiency"}, ["Magnesium"]),
    ],
)
def test_nutrient_filters(client, nutrient_foods, params, expected):
    response = client.get(NUTRIENTS, params)
    assert response.status_code == HTTPStatus.OK
    assert names(response) == expected


def test_nutrient_table_lists_each_food_once(client, nutrient_foods):
    response = client.get(NUTRIENTS, {"format": "csv"})
    rows = {row[0]: row for row in csv_rows(response)[1:]}
    header = csv_rows(response)[0]
    calcium = dict(zip(header, rows["Calcium"], strict=True))
    assert calcium["Food sources"] == "Dairy; Leafy greens"
    assert calcium["Deficiency term"] == NOT_STATED


@pytest.mark.parametrize("count", [3, 300])
def test_nutrients_table_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, settings, count
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    food = FoodSourceFactory()
    for nutrient in NutrientFactory.create_batch(count):
        link_food(nutrient, food)
    # The matches counted, and the page's keys; the page's rows, foods, causes
    # and what the sources state of them; the form's choices.
    with django_assert_num_queries(8):
        response = client.get(NUTRIENTS)
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
    # Shown again before the content changes, the count of matches, the rows,
    # the form's fields and its first options are kept: only the page's keys
    # are read.
    with django_assert_num_queries(1):
        again = client.get(NUTRIENTS)
    assert again.content == response.content
