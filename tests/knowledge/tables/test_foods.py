"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import json

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
from tests.knowledge.tables.pages import FOODS, names

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"nutrient": "magnesium"}, ["Dark chocolate", "Leafy greens"]),
        ({"nutrient": ["magnesium", "calcium"]}, ["Leafy greens"]),
        ({"nutrient": ["calcium", "b12"]}, ["Dairy"]),
        ({"nutrient": ["magnesium", "b12"]}, []),
        ({"category": "dairy"}, ["Dairy"]),
        ({"diet": "vegan"}, ["Leafy greens"]),
        ({"diet": "vegetarian"}, ["Dairy", "Leafy greens"]),
        (
            {"sort": "-name"},
            ["Sunlight", "Meat", "Leafy greens", "Dark chocolate", "Dairy"],
        ),
    ],
)
def test_food_filters(client, nutrient_foods, params, expected):
    assert names(client.get(FOODS, params)) == expected


def test_food_table_is_honest_about_diet_and_sunlight(client, nutrient_foods):
    records = json.loads(client.get(FOODS, {"format": "json"}).content)
    diets = {record["Food"]: record["Diet (editorial)"] for record in records}
    assert diets["Sunlight"] == "Not a food"
    assert diets["Dark chocolate"] == "Not clear: depends on the product"
    assert diets["Leafy greens"] == "Vegan"
    nutrients = {record["Food"]: record["Nutrients"] for record in records}
    assert nutrients["Leafy greens"] == "Calcium; Magnesium"
    assert nutrients["Sunlight"] == NOT_STATED


def test_food_page_draws_the_food_nutrient_matrix(client, nutrient_foods):
    response = client.get(FOODS)
    assert "<svg" in response.text
    assert response.text.count("Leafy greens provides") == 2


@pytest.mark.parametrize("count", [3, 300])
def test_foods_table_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, count
):
    nutrient = NutrientFactory()
    for food in FoodSourceFactory.create_batch(count):
        link_food(nutrient, food)
    with django_assert_num_queries(4):
        response = client.get(FOODS, {"sort": "name"})
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
