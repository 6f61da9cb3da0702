"""The foods table: which foods provide the nutrients, for which diets."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from knowledge import charts, fragments
from knowledge.models import FoodSource
from knowledge.tables import base, choices
from knowledge.tables.cells import Cell, Column, link, links


def food_diet(food: FoodSource) -> Cell:
    if food.kind == FoodSource.Kind.OTHER:
        return Cell("Not a food")
    if not food.diet:
        return Cell(placeholder="Not clear: depends on the product")
    return Cell(food.get_diet_display())


FOOD_COLUMNS = [
    Column("name", "Food", link, sort="name"),
    Column(
        "category",
        "Category",
        lambda f: Cell(f.get_category_display()),
        "category",
        editorial=True,
    ),
    Column("nutrients", "Nutrients", lambda f: links(f.stated_nutrients())),
    Column("diet", "Diet", food_diet, editorial=True),
]


class FoodFilter(choices.SuggestingFilterSet):
    nutrient = choices.NamedMultipleChoiceFilter(
        choosable=choices.NUTRIENTS,
        label="Provides all of",
        help_text="The table shows the foods that provide every ticked nutrient.",
        field_name="nutrients__slug",
        conjoined=True,
    )
    category = filters.ChoiceFilter(
        widget=base.Select,
        choices=FoodSource.Category.choices,
        label="Category",
        empty_label=base.ANY,
    )
    diet = filters.ChoiceFilter(
        widget=base.Select,
        choices=base.DIET_CHOICES,
        label="Suitable for",
        method="filter_diet",
        empty_label=base.ANY,
    )
    sort = base.NullsLastOrderingFilter(
        widget=base.SortSelect,
        fields=(("name", "name"), ("category", "category")),
        field_labels={
            "name": "Name, A to Z",  # listed as the empty option: see SortSelect
            "-name": "Name, Z to A",
            "category": "Category, A to Z",
            "-category": "Category, Z to A",
        },
        label="Sort by",
        empty_label="Name, A to Z",
    )

    class Meta:
        model = FoodSource
        fields: list[str] = []

    def filter_diet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(base.diet_q("", value))


class FoodListView(base.TableView):
    model = FoodSource
    filterset_class = FoodFilter
    template_name = "knowledge/foodsource_list.html"
    columns = FOOD_COLUMNS
    export_name = "foods"
    noun, noun_plural = "food", "foods"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.with_pairings()

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["chart"] = fragments.cached(
            "food-chart", tuple(self.page_keys), self.chart
        )
        return context

    def chart(self) -> str:
        foods = self.page_objects()
        nutrients = sorted(
            {n for food in foods for n in food.stated_nutrients()}, key=lambda n: n.name
        )
        provides = {(f.pk, n.pk) for f in foods for n in f.stated_nutrients()}
        return charts.food_nutrient_matrix_svg(foods, nutrients, provides)
