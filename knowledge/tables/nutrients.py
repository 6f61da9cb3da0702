"""The nutrients table: what each does for nerves and muscles, and where to find it."""

from __future__ import annotations

import django_filters as filters
from django.db.models import QuerySet

from knowledge.models import Evidence, Nutrient
from knowledge.tables import base, choices
from knowledge.tables.cells import Cell, Column, link, links, source_counts, stated

NUTRIENT_COLUMNS = [
    Column("name", "Nutrient", link),
    Column("kind", "Kind", lambda n: Cell(n.get_kind_display()), editorial=True),
    Column("deficiency", "Deficiency term", stated(Evidence.Aspect.DEFICIENCY_NAME)),
    Column("role", "Role in nerve and muscle function", stated(Evidence.Aspect.ROLE)),
    Column("foods", "Food sources", lambda n: links(n.foods.all())),
    Column("causes", "Causes", lambda n: links(n.causes.all())),
    Column("sources", "Sources", source_counts),
]


class NutrientFilter(choices.SuggestingFilterSet):
    kind = filters.ChoiceFilter(
        widget=base.Select,
        choices=Nutrient.Kind.choices,
        label="Kind",
        empty_label=base.ANY,
    )
    food = choices.NamedChoiceFilter(
        choosable=choices.FOODS, label="Found in", field_name="foods"
    )
    diet = filters.ChoiceFilter(
        widget=base.Select,
        choices=base.DIET_CHOICES,
        label="Has sources for a diet",
        method="filter_diet",
        empty_label=base.ANY,
    )
    cause = choices.NamedChoiceFilter(
        choosable=choices.CAUSES, label="Related cause", field_name="causes"
    )

    class Meta:
        model = Nutrient
        fields: list[str] = []

    def filter_diet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(base.diet_q("foods__", value))

    @property
    def qs(self) -> QuerySet:
        return super().qs.distinct()


class NutrientListView(base.TableView):
    model = Nutrient
    filterset_class = NutrientFilter
    template_name = "knowledge/nutrient_list.html"
    columns = NUTRIENT_COLUMNS
    export_name = "nutrients"
    noun, noun_plural = "nutrient", "nutrients"

    def decorate(self, queryset: QuerySet) -> QuerySet:
        return queryset.with_relations().with_evidence().with_source_counts()
