"""The tables' filter widgets write the markup Django's own widget templates write.

The filter forms render with Django's Jinja2 widget templates (FilterForm); the
widgets that list options write the same markup in Python. MarkupSafe escapes a
quote as ``&#34;`` where Django's ``escape`` writes ``&quot;``: the same character.
"""

import pytest
from django import forms
from django.http import QueryDict
from django.urls import reverse

from knowledge import widgets
from knowledge.filters import CauseFilter, FoodFilter, NutrientFilter
from knowledge.models.content import slug_url, view_url
from knowledge.tables import Cell, Link
from tests.factories import (
    BodyAreaFactory,
    FoodSourceFactory,
    NutrientFactory,
    SymptomFactory,
)


def templates_render(self, name, value, attrs=None, renderer=None):
    """Django's own rendering: the widget's context through its templates."""
    return forms.Widget.render(self, name, value, attrs, renderer)


def render_both(monkeypatch, filterset_class, query: str) -> tuple[str, str]:
    def form():
        bound = filterset_class(QueryDict(query) if query else None).form
        return bound.as_div()

    ours = form()
    with monkeypatch.context() as patch:
        patch.setattr(widgets.PythonRenderedMixin, "render", templates_render)
        djangos = form()
    return ours, djangos


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
def test_filter_forms_match_djangos_templates(db, monkeypatch, filterset_class, query):
    BodyAreaFactory(name="Face", slug="face")
    SymptomFactory(name="Cramps", slug="cramps")
    SymptomFactory(name='Tingling "pins" & <needles>', slug="tingling")
    NutrientFactory(name="Magnesium", slug="magnesium")
    NutrientFactory(name="Calcium", slug="calcium")
    FoodSourceFactory(name="Spinach", slug="spinach")
    ours, djangos = render_both(monkeypatch, filterset_class, query)
    assert "<option" in ours or "checkbox" in ours
    assert ours == djangos.replace("&#34;", "&quot;").replace("&#39;", "&#x27;")


def test_cells_escape_what_they_show():
    assert Cell("<b>&'\"").__html__() == "&lt;b&gt;&amp;&#x27;&quot;"
    link = Cell(links=[Link("<i>", '/x/?a=1&b="2"')])
    assert link.__html__() == '<a href="/x/?a=1&amp;b=&quot;2&quot;">&lt;i&gt;</a>'
    assert Cell(placeholder="<none>").__html__() == (
        '<span class="not-stated">&lt;none&gt;</span>'
    )


@pytest.mark.parametrize(
    "view", ["article-detail", "cause-detail", "nutrient-detail", "food-detail"]
)
def test_slug_urls_are_the_urls_reverse_gives(view):
    name = f"knowledge:{view}"
    assert slug_url(name, "some-slug_2") == reverse(
        name, kwargs={"slug": "some-slug_2"}
    )


def test_view_urls_are_the_urls_reverse_gives():
    assert view_url("knowledge:cause-list") == reverse("knowledge:cause-list")
