"""What every comparison table shares: paging, exports, bad input, and the filter
widgets, whose cached HTML is exactly what Django's own widgets render."""

import re
from http import HTTPStatus

import pytest
from django import forms
from django.http import QueryDict

from knowledge.models import (
    FoodSource,
)
from knowledge.tables import base
from knowledge.tables.base import TableView
from knowledge.tables.causes import CauseFilter
from knowledge.tables.foods import FoodFilter
from knowledge.tables.nutrients import NutrientFilter
from tests.factories import (
    BodyAreaFactory,
    CauseFactory,
    FoodSourceFactory,
    NutrientFactory,
    SymptomFactory,
)
from tests.knowledge.tables.pages import CAUSES, FOODS, NUTRIENTS, names

pytestmark = pytest.mark.django_db


def templates_render(self, name, value, attrs=None, renderer=None):
    """Django's own rendering: the widget's context through its templates."""
    return forms.Widget.render(self, name, value, attrs, renderer)


def render_both(monkeypatch, filterset_class, query: str) -> tuple[str, str, str]:
    """The form as rendered into the cache, from the cache, and by Django alone."""

    def form():
        bound = filterset_class(QueryDict(query) if query else None).form
        return bound.as_div()

    first, second = form(), form()
    with monkeypatch.context() as patch:
        patch.setattr(base.CachedRenderMixin, "render", templates_render)
        djangos = form()
    return first, second, djangos


@pytest.mark.parametrize("page", ["3", "0", "x"])
def test_a_page_that_does_not_exist_is_not_found(client, page):
    CauseFactory.create_batch(TableView.paginate_by + 10)
    assert client.get(CAUSES, {"page": page}).status_code == HTTPStatus.NOT_FOUND


@pytest.mark.parametrize(
    "params",
    [
        {"area": "knee"},
        {"symptom": ["cramps", "nope"]},
        {"commonality": "banana"},
        {"urgency": "9"},
        {"sort": "password"},
        {"nutrient": "x" * 500},
        {"q": "x" * 101},
    ],
)
def test_invalid_filter_values_get_a_form_error_not_a_500(
    client, twitch_causes, params
):
    response = client.get(CAUSES, params)
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "errorlist" in response.text
    assert "Some filters could not be used" in response.text


def test_export_refuses_unknown_formats_and_invalid_filters(client, twitch_causes):
    assert client.get(CAUSES, {"format": "xml"}).status_code == HTTPStatus.BAD_REQUEST
    response = client.get(CAUSES, {"format": "csv", "area": "knee"})
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert "area" in response.content.decode()


def test_real_knowledge_base_tables_render(client, knowledge_base):
    for url in (CAUSES, NUTRIENTS, FOODS):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK
    eyelid = client.get(CAUSES, {"area": "eyelid"})
    assert names(eyelid) == ["Eye strain", "Magnesium deficiency"]
    both = client.get(FOODS, {"nutrient": ["magnesium", "calcium"]})
    assert names(both) == ["Leafy greens"]
    assert FoodSource.objects.count() == 21


@pytest.mark.parametrize(
    ("filterset_class", "query"),
    [
        (CauseFilter, ""),
        (CauseFilter, "area=face&symptom=cramps&symptom=tingling&sort=-urgency"),
        (CauseFilter, "category=lifestyle&nutrient=magnesium&q=<b>&commonality=3"),
        (CauseFilter, "area=nowhere&symptom=nowhere&urgency=9&sort=bogus"),
        (CauseFilter, "sort=name,-urgency"),
        (FoodFilter, "nutrient=magnesium&nutrient=calcium&diet=vegan&sort=-category"),
        (FoodFilter, "nutrient=nowhere&category=fish"),
        (NutrientFilter, "kind=mineral&diet=vegetarian&food=spinach"),
    ],
)
def test_cached_filter_widgets_render_what_django_renders(
    db, monkeypatch, filterset_class, query
):
    BodyAreaFactory(name="Face", slug="face")
    SymptomFactory(name="Cramps", slug="cramps")
    SymptomFactory(name='Tingling "pins" & <needles>', slug="tingling")
    NutrientFactory(name="Magnesium", slug="magnesium")
    NutrientFactory(name="Calcium", slug="calcium")
    FoodSourceFactory(name="Spinach", slug="spinach")
    first, cached, djangos = render_both(monkeypatch, filterset_class, query)
    assert "<option" in first or "checkbox" in first
    assert first == cached == djangos


def test_widgets_with_the_same_name_but_other_options_do_not_share_html(db):
    NutrientFactory(name="Magnesium", slug="magnesium")
    causes = CauseFilter(QueryDict("")).form.as_div()
    foods = FoodFilter(QueryDict("")).form.as_div()
    # Both forms have a "category" select, each with its own options.
    assert 'value="nutrient_deficiency"' in causes
    assert 'value="nutrient_deficiency"' not in foods
    assert 'value="vegetables"' in foods


def test_options_changed_in_the_database_show_at_once(db):
    symptom = SymptomFactory(name="Cramps", slug="cramps")
    assert "Cramps" in CauseFilter(QueryDict("")).form.as_div()
    symptom.name = "Muscle cramps"
    symptom.save()
    assert "Muscle cramps" in CauseFilter(QueryDict("")).form.as_div()


def test_made_up_values_are_not_cached(db, monkeypatch):
    stored = []
    monkeypatch.setattr(base.cache, "set", lambda key, *args, **kw: stored.append(key))
    form = CauseFilter(QueryDict("area=nowhere&symptom=made-up")).form
    form.as_div()
    cached = [
        name
        for name, field in form.fields.items()
        if isinstance(field.widget, base.CachedRenderMixin)
    ]
    assert {"area", "symptom"} < set(cached)
    # Every choice widget was stored, but the two with made-up values.
    widgets = [key for key in stored if key.startswith("widget:")]
    assert len(widgets) == len(cached) - 2


def grouped(groups) -> base.GroupedCheckboxSelectMultiple:
    return base.GroupedCheckboxSelectMultiple(
        choices=[("a", "Apple"), ("b", "Banana"), ("c", "Cherry")],
        groups=lambda: groups,
    )


def test_grouped_checkboxes_sit_in_a_fieldset_per_group(db):
    widget = grouped([("Firsts", "firsts", frozenset({"c"})), ("Rest", "rest", None)])
    html = widget.render("fruit", ["b", "c"], {"id": "id_fruit"})
    assert html.startswith('<div id="id_fruit"><fieldset class="firsts">')
    firsts, rest = html.split('<fieldset class="rest">')
    assert "<legend>Firsts</legend>" in firsts and "<legend>Rest</legend>" in rest
    assert re.findall(r'value="(\w)"', firsts) == ["c"]
    assert re.findall(r'value="(\w)"', rest) == ["a", "b"]
    # Each checkbox keeps its own id, label and state.
    assert html.count('id="id_fruit"') == 1
    assert re.findall(r'id="(id_fruit_\d)"', html) == ["id_fruit_2"] + [
        "id_fruit_0",
        "id_fruit_1",
    ]
    assert re.findall(r'value="(\w)" id="id_fruit_\d" checked', html) == ["c", "b"]


def test_a_group_with_no_options_is_left_out(db):
    widget = grouped([("None here", "empty", frozenset({"z"})), ("All", "all", None)])
    html = widget.render("fruit", [], {"id": "id_fruit"})
    assert "None here" not in html
    assert html.count("<fieldset") == 1


def test_regrouping_changes_the_cached_html(db):
    one = grouped([("Firsts", "firsts", frozenset({"a"})), ("Rest", "rest", None)])
    two = grouped([("Firsts", "firsts", frozenset({"b"})), ("Rest", "rest", None)])
    first, second = one.render("fruit", []), two.render("fruit", [])
    assert first != second
    assert re.findall(r'value="(\w)"', second) == ["b", "a", "c"]
