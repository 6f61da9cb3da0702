"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import json

import pytest
from django.urls import reverse

from knowledge.models import (
    NOT_STATED,
)
from knowledge.tables.base import TableView
from tests.factories import (
    CauseFactory,
    FoodSourceFactory,
    NutrientFactory,
    link_food,
)

pytestmark = pytest.mark.django_db


FOODS = reverse("knowledge:food-list")


def names(response) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


@pytest.fixture
def nutrient_foods():
    magnesium = NutrientFactory(name="Magnesium", slug="magnesium")
    calcium = NutrientFactory(name="Calcium", slug="calcium")
    b12 = NutrientFactory(name="Vitamin B12", slug="b12", kind="vitamin")
    greens = FoodSourceFactory(name="Leafy greens", slug="greens")
    dairy = FoodSourceFactory(
        name="Dairy", slug="dairy", category="dairy", diet="vegetarian"
    )
    meat = FoodSourceFactory(name="Meat", slug="meat", category="meat", diet="omnivore")
    sunlight = FoodSourceFactory(
        name="Sunlight", slug="sunlight", kind="other", category="sunlight", diet=""
    )
    chocolate = FoodSourceFactory(
        name="Dark chocolate", slug="chocolate", category="other_food", diet=""
    )
    link_food(magnesium, greens)
    link_food(magnesium, chocolate)
    link_food(calcium, greens)
    link_food(calcium, greens)  # a second source says so too
    link_food(calcium, dairy)
    link_food(b12, meat)
    link_food(b12, dairy)
    CauseFactory(
        name="Magnesium deficiency",
        slug="magnesium-deficiency",
        category="nutrient_deficiency",
        nutrient=magnesium,
    )
    return locals()


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
    diets = {record["Food"]: record["Diet"] for record in records}
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
