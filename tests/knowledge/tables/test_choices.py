"""Filters by food, cause or nutrient: a menu (or checkboxes) while the list is short,
a text field that takes a name or a slug once it is long."""

import html
import re
from http import HTTPStatus

import pytest
from django.core.cache import caches
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from knowledge.models import FoodSource
from knowledge.tables.nutrients import NutrientFilter
from tests.factories import CauseFactory, FoodSourceFactory
from tests.knowledge.tables.pages import CAUSES, FOODS, NUTRIENTS, names

pytestmark = pytest.mark.django_db

SCRIPT = '<script src="/static/js/typeahead.js" defer></script>'
# (table, filter, what it lists): each filter by food, cause or nutrient.
FILTERS = [
    (NUTRIENTS, "food", "foods"),
    (NUTRIENTS, "cause", "causes"),
    (CAUSES, "nutrient", "nutrients"),
    (FOODS, "nutrient", "nutrients"),
]
FILTER_IDS = ["nutrients-food", "nutrients-cause", "causes-nutrient", "foods-nutrient"]


@pytest.fixture
def long_lists(settings, nutrient_foods):
    """Every list of foods, causes and nutrients is too long for a menu."""
    CauseFactory(name="Stress", slug="stress")
    settings.TABLE_CHOICE_LIMIT = 1
    return nutrient_foods


def controls(response, name: str) -> list[str]:
    """The opening tags of the form's controls that send ``name``."""
    form = re.search(r'<form class="filters".*?</form>', response.text, re.DOTALL)
    return re.findall(rf'<(?:select|input)\b[^>]*\bname="{name}"[^>]*>', form.group())


def text_field(response, name: str) -> str:
    [field] = [tag for tag in controls(response, name) if 'type="search"' in tag]
    return field


def attribute(tag: str, name: str) -> str | None:
    found = re.search(rf'\b{name}="([^"]*)"', tag)
    return html.unescape(found.group(1)) if found else None


def options(response, name: str) -> list[str]:
    """The values a menu or a group of checkboxes offers for ``name``."""
    menu = re.search(rf'<select name="{name}".*?</select>', response.text, re.DOTALL)
    if menu:
        return re.findall(r'<option value="([^"]+)"', menu.group())
    return [
        attribute(tag, "value")
        for tag in controls(response, name)
        if 'type="checkbox"' in tag
    ]


def checked(response, name: str) -> list[str]:
    return [
        attribute(tag, "value")
        for tag in controls(response, name)
        if 'type="checkbox"' in tag and " checked" in tag
    ]


# -- a short list: as it always was -------------------------------------------------


@pytest.mark.parametrize(("table", "name", "kind"), FILTERS, ids=FILTER_IDS)
def test_a_short_list_is_a_menu_or_checkboxes_with_every_option(
    client, nutrient_foods, table, name, kind
):
    response = client.get(table)
    every = {
        "foods": ["dairy", "chocolate", "greens", "meat", "sunlight"],  # by name
        "causes": ["magnesium-deficiency"],
        "nutrients": ["calcium", "magnesium", "b12"],
    }[kind]
    assert options(response, name) == every
    assert not [tag for tag in controls(response, name) if 'type="search"' in tag]
    assert SCRIPT not in response.text
    assert "/suggest/" not in response.text


@pytest.mark.parametrize(("limit", "menu"), [(5, True), (4, False)])
def test_a_list_as_long_as_the_limit_is_still_a_menu(
    client, settings, nutrient_foods, limit, menu
):
    settings.TABLE_CHOICE_LIMIT = limit  # the table has five foods
    response = client.get(NUTRIENTS)
    assert ('<select name="food"' in response.text) is menu
    assert (SCRIPT in response.text) is not menu


def test_a_typed_name_chooses_from_a_menu_too(client, nutrient_foods):
    response = client.get(NUTRIENTS, {"food": "  leafy GREENS "})
    assert names(response) == ["Calcium", "Magnesium"]
    assert '<option value="greens" selected>' in response.text


def test_a_value_no_option_has_keeps_the_menus_own_error(client, nutrient_foods):
    response = client.get(NUTRIENTS, {"food": "xyz"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "Select a valid choice." in response.text
    assert "No food called" not in response.text


# -- a long list: a text field ------------------------------------------------------


@pytest.mark.parametrize(("table", "name", "kind"), FILTERS, ids=FILTER_IDS)
def test_a_long_list_is_a_labelled_text_field_that_suggests_names(
    client, long_lists, table, name, kind
):
    response = client.get(table)
    assert response.status_code == HTTPStatus.OK
    field = text_field(response, name)
    field_id = attribute(field, "id")
    noun = kind.removesuffix("s")
    # Its label, and a hint that it describes it by.
    label = re.search(rf'<label for="{field_id}">([^<]*)</label>', response.text)
    expected = {"nutrients-food": "Found in:", "nutrients-cause": "Related cause:"}
    assert label.group(1) == expected.get(
        f"{table.strip('/')}-{name}",
        "Add a nutrient:" if table == FOODS else "Related nutrient:",
    )
    hint_id = attribute(field, "aria-describedby")
    hint = re.search(
        rf'<span class="[^"]*" id="{hint_id}">([^<]*)</span>', response.text
    )
    assert html.unescape(hint.group(1)) == f"Type a {noun}'s name."
    # A native datalist, which the script fills from the suggestions.
    list_id = attribute(field, "list")
    assert f'<datalist id="{list_id}"></datalist>' in response.text
    assert attribute(field, "data-suggest") == f"/suggest/{kind}/"
    assert attribute(field, "autocomplete") == "off"
    assert options(response, name) == []
    assert response.text.count(SCRIPT) == 1
    assert response.text.index(SCRIPT) < response.text.index("</head>")


@pytest.mark.parametrize(
    ("table", "by_slug", "by_name", "expected"),
    [
        (NUTRIENTS, {"food": "dairy"}, {"food": "dAIRY"}, ["Calcium", "Vitamin B12"]),
        (
            NUTRIENTS,
            {"cause": "magnesium-deficiency"},
            {"cause": "Magnesium Deficiency"},
            ["Magnesium"],
        ),
        (
            CAUSES,
            {"nutrient": "b12"},
            {"nutrient": " vitamin b12 "},
            [],
        ),
        (
            CAUSES,
            {"nutrient": "magnesium"},
            {"nutrient": "MAGNESIUM"},
            ["Magnesium deficiency"],
        ),
        (
            FOODS,
            {"nutrient": ["magnesium", "calcium"]},
            {"nutrient": ["Magnesium", "calcium", ""]},
            ["Leafy greens"],
        ),
        (
            FOODS,
            {"nutrient": ["calcium", "b12"]},
            {"nutrient": ["calcium", "Vitamin B12"]},
            ["Dairy"],
        ),
    ],
)
def test_a_name_in_any_case_or_a_slug_gives_the_same_rows(
    client, long_lists, table, by_slug, by_name, expected
):
    for params in (by_slug, by_name):
        response = client.get(table, params)
        assert response.status_code == HTTPStatus.OK
        assert names(response) == expected
        assert response.context["filtered"]


def test_a_slug_is_read_before_another_items_name(client, long_lists):
    FoodSourceFactory(name="Greens", slug="other-greens")  # named as a slug is
    assert names(client.get(NUTRIENTS, {"food": "greens"})) == ["Calcium", "Magnesium"]
    assert names(client.get(NUTRIENTS, {"food": "Greens"})) == []


def test_the_chosen_item_shows_by_name(client, long_lists):
    response = client.get(NUTRIENTS, {"food": "greens", "cause": ""})
    assert attribute(text_field(response, "food"), "value") == "Leafy greens"
    assert attribute(text_field(response, "cause"), "value") is None


@pytest.mark.parametrize(
    ("table", "params", "message"),
    [
        (NUTRIENTS, {"food": "xyz"}, "No food called “xyz”. Check the spelling."),
        (NUTRIENTS, {"cause": "Strain"}, "No cause called “Strain”."),
        (CAUSES, {"nutrient": "Iron"}, "No nutrient called “Iron”."),
        (FOODS, {"nutrient": ["magnesium", "Iron"]}, "No nutrient called “Iron”."),
    ],
)
def test_an_unknown_name_is_a_400_with_a_form_error_worded_for_it(
    client, long_lists, table, params, message
):
    response = client.get(table, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert message in response.text
    assert "Please check the highlighted filters." in response.text
    assert "Some filters could not be used" in response.text
    # What was typed stays in the field, marked for assistive technology.
    [name] = params
    typed = params[name] if isinstance(params[name], str) else params[name][-1]
    field = text_field(response, name)
    assert attribute(field, "value") == typed
    assert attribute(field, "aria-invalid") == "true"


@pytest.mark.parametrize("typed", ["x" * 500, "oat\x00s", "\x00"])
def test_any_typed_value_is_a_400_not_a_500(client, long_lists, typed):
    for table, name, _kind in FILTERS:
        response = client.get(table, {name: typed})
        assert response.status_code == HTTPStatus.BAD_REQUEST
        assert "errorlist" in response.text
    # A long name is quoted back in the error shortened.
    response = client.get(NUTRIENTS, {"food": "x" * 500})
    [error] = re.findall(r'<ul class="errorlist"[^>]*><li>([^<]*)</li>', response.text)
    assert error == f"No food called “{'x' * 39}…”. Check the spelling."


def test_chosen_nutrients_stay_ticked_with_a_field_to_add_one(client, long_lists):
    # As the form sends them: the ticked boxes, then the empty text field.
    response = client.get(FOODS, {"nutrient": ["magnesium", "Calcium", ""]})
    assert names(response) == ["Leafy greens"]
    assert "1 food matches your filters" in response.text
    # Only the chosen nutrients have checkboxes, each ticked.
    assert options(response, "nutrient") == ["magnesium", "calcium"]
    assert checked(response, "nutrient") == ["magnesium", "calcium"]
    assert '<label for="id_nutrient_0"><input type="checkbox"' in response.text
    assert ">\n Magnesium</label>" in response.text
    assert ">\n Calcium</label>" in response.text
    add = text_field(response, "nutrient")
    assert attribute(add, "value") is None
    assert attribute(add, "id") == "id_nutrient_add"
    # Unticking one sends only the other.
    unticked = client.get(FOODS, {"nutrient": ["calcium", ""]})
    assert names(unticked) == ["Dairy", "Leafy greens"]
    assert checked(unticked, "nutrient") == ["calcium"]


def test_an_empty_text_field_filters_nothing(client, long_lists):
    response = client.get(FOODS, {"nutrient": ""})
    assert response.status_code == HTTPStatus.OK
    assert len(names(response)) == FoodSource.objects.count()
    assert "match your filters" not in response.text
    assert checked(response, "nutrient") == []


def test_a_list_that_grows_past_the_limit_becomes_a_text_field_at_once(
    client, settings, nutrient_foods
):
    settings.TABLE_CHOICE_LIMIT = 6
    assert '<select name="food"' in client.get(NUTRIENTS).text
    FoodSourceFactory(name="Almonds")
    FoodSourceFactory(name="Spinach")
    response = client.get(NUTRIENTS)
    assert '<select name="food"' not in response.text
    assert text_field(response, "food")


# -- what it costs ------------------------------------------------------------------


@pytest.mark.parametrize("limit", [60, 2])
def test_the_options_are_fetched_once_and_one_more_than_the_limit(
    settings, nutrient_foods, limit
):
    settings.TABLE_CHOICE_LIMIT = limit
    form = NutrientFilter(QueryDict("food=greens&cause=magnesium-deficiency")).form
    with CaptureQueriesContext(connection) as queries:
        form.as_div()
    foods = [q["sql"] for q in queries if 'FROM "knowledge_foodsource"' in q["sql"]]
    # The chosen food was looked up while the form was cleaned; the options are
    # fetched once, to choose the widget and to fill it.
    lookup, options_query = foods
    assert "LIMIT" not in lookup
    assert options_query.endswith(f"LIMIT {limit + 1}")


def test_a_typed_name_costs_no_more_queries_than_a_chosen_option(
    client, settings, django_assert_num_queries, nutrient_foods
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    menus = {"food": "greens", "cause": "magnesium-deficiency"}
    typed = {"food": "Leafy Greens", "cause": "magnesium deficiency"}
    # Each chosen item looked up; the matches counted, and the page's keys; the
    # page's rows, foods, causes and what the sources state of them; each list's
    # options.
    with django_assert_num_queries(10):
        menu = client.get(NUTRIENTS, menus)
    assert '<select name="food"' in menu.text
    settings.TABLE_CHOICE_LIMIT = 1
    for cache in caches.all():
        cache.clear()  # render everything afresh
    with django_assert_num_queries(10):
        text = client.get(NUTRIENTS, typed)
    assert text_field(text, "food")
    assert names(menu) == names(text) == ["Magnesium"]


def test_foods_typed_and_ticked_cost_no_more_queries(
    client, settings, django_assert_num_queries, long_lists
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    # The chosen nutrients, in one query; the matches counted, and the page's
    # keys; the page's rows with their nutrients; the nutrients' first options.
    with django_assert_num_queries(6):
        response = client.get(FOODS, {"nutrient": ["magnesium", "Calcium", ""]})
    assert names(response) == ["Leafy greens"]


def test_five_hundred_foods_add_nothing_to_the_nutrients_page(
    client, settings, nutrient_foods
):
    settings.PAGE_CACHE_SECONDS = 0  # bulk_create does not change the content version

    def page() -> str:
        response = client.get(NUTRIENTS)
        assert response.status_code == HTTPStatus.OK
        return response.text

    shortest_long_list = 61  # one more than the default limit
    FoodSource.objects.bulk_create(
        FoodSource(
            name=f"Extra food {n:03}", slug=f"extra-food-{n:03}", category="fruit"
        )
        for n in range(shortest_long_list - FoodSource.objects.count())
    )
    before = page()
    FoodSource.objects.bulk_create(
        FoodSource(name=f"More food {n:03}", slug=f"more-food-{n:03}", category="fruit")
        for n in range(500 - FoodSource.objects.count())
    )
    after = page()
    assert FoodSource.objects.count() == 500
    assert "Extra food" not in after and "More food" not in after
    assert len(after) == len(before) < 40_000
