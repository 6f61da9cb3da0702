"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import csv
import io
from http import HTTPStatus

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


NUTRIENTS = reverse("knowledge:nutrient-list")


def names(response) -> list[str]:
    return [str(obj) for obj in response.context["object_list"]]


def csv_rows(response) -> list[list[str]]:
    return list(csv.reader(io.StringIO(response.content.decode())))


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
    client, django_assert_num_queries, count
):
    food = FoodSourceFactory()
    for nutrient in NutrientFactory.create_batch(count):
        link_food(nutrient, food)
    with django_assert_num_queries(6):
        response = client.get(NUTRIENTS)
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
