"""The comparison tables: filters, sorting, exports, bad input and query counts."""

import json
import re

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
from tests.knowledge.tables.pages import FOODS, names, sort_menu

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


def test_a_food_two_sources_pair_with_a_nutrient_is_listed_once(client):
    magnesium, calcium = NutrientFactory(slug="magnesium"), NutrientFactory()
    seeds = FoodSourceFactory(name="Seeds")
    for nutrient in (magnesium, magnesium, calcium, calcium):
        link_food(nutrient, seeds)
    for params in (
        {"nutrient": "magnesium"},
        {"nutrient": ["magnesium", calcium.slug]},
    ):
        response = client.get(FOODS, params)
        assert names(response) == ["Seeds"]
        assert response.context["total"] == 1


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
    assert response.text.count("Leafy greens: a source of") == 2
    assert "Dairy: a source of Vitamin B12" in response.text
    assert "The table above lists the same information." in response.text
    table, chart = response.text.index('id="results"'), response.text.index("<svg")
    assert table < chart


def test_the_form_says_several_nutrients_find_foods_with_all_of_them(
    client, nutrient_foods
):
    response = client.get(FOODS, {"nutrient": ["magnesium", "calcium"]})
    assert "The table shows the foods that provide every ticked nutrient." in (
        response.text
    )
    # Dark chocolate provides magnesium only.
    assert names(response) == ["Leafy greens"]
    assert "1 food matches your filters" in response.text
    assert "Download this row:" in response.text


def test_the_food_sort_menu_lists_each_order_once(client, nutrient_foods):
    assert [label for _value, label in sort_menu(client.get(FOODS))] == [
        "Name, A to Z",
        "Name, Z to A",
        "Category, A to Z",
        "Category, Z to A",
    ]


def test_nutrient_names_keep_their_case(client, nutrient_foods):
    page = client.get(FOODS, {"nutrient": "b12"}).text
    export = client.get(FOODS, {"nutrient": "b12", "format": "csv"}).text
    for text in (page, export):
        spelt = set(re.findall(r"(?i)vitamin b12", text))
        # "vitamin B12" only in running prose, as in the page's description.
        assert "Vitamin B12" in spelt
        assert spelt <= {"Vitamin B12", "vitamin B12"}


@pytest.mark.parametrize("count", [3, 300])
def test_foods_table_query_count_does_not_grow_with_rows(
    client, django_assert_num_queries, settings, count
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    nutrient = NutrientFactory()
    for food in FoodSourceFactory.create_batch(count):
        link_food(nutrient, food)
    # The matches counted, and the page's keys; the page's rows with their
    # nutrients; the form's choices.
    with django_assert_num_queries(5):
        response = client.get(FOODS, {"sort": "name"})
    assert len(response.context["rows"]) == min(count, TableView.paginate_by)
    assert response.context["total"] == count
    # Shown again before the content changes, the count of matches, the rows,
    # the chart, the form's fields and its first options are kept: only the
    # page's keys are read.
    with django_assert_num_queries(1):
        again = client.get(FOODS, {"sort": "name"})
    assert again.content == response.content


@pytest.mark.parametrize("sort", ["category", "-category"])
def test_rows_that_tie_on_the_sort_keep_one_order_across_pages(client, sort):
    # Made in the reverse of their names' order: a sort with no tie-breaker gives
    # them in whatever order the database finds them, which PostgreSQL varies.
    for n in reversed(range(30)):
        FoodSourceFactory(name=f"Food {n:02}", slug=f"food-{n:02}")
    pages = [names(client.get(FOODS, {"sort": sort, "page": p})) for p in (1, 2)]
    assert pages[0] + pages[1] == [f"Food {n:02}" for n in range(30)]
