"""The comparison tables' filters. Every filter's state lives in the URL."""

from __future__ import annotations

import django_filters as filters
from django import forms
from django.db.models import F, Q, QuerySet
from django.forms.renderers import Jinja2

from knowledge import widgets
from knowledge.models import (
    BodyArea,
    Cause,
    Commonality,
    FoodSource,
    Nutrient,
    Symptom,
    Urgency,
)

SEARCH_MAX_LENGTH = 100
ANY = "Any"


# Multiple-choice filters compare the chosen objects' ``to_field_name`` values, so
# their ``field_name`` must reach that field too.


class FilterForm(forms.Form):
    """The tables' filter forms, rendered with Django's Jinja2 form templates.

    The option lists are written in Python (``knowledge.widgets``); the rest of the
    form (fields, labels, errors) renders through Django's Jinja2 versions of its
    form templates, which are compiled and cheaper than the template engine's. The
    markup is the same but for whitespace. The admin keeps the default renderer.
    """

    default_renderer = Jinja2()


class NullsLastOrderingFilter(filters.OrderingFilter):
    """Sort by the chosen column, keeping "not stated" values at the end."""

    def filter(self, qs: QuerySet, value) -> QuerySet:
        if not value:
            return qs
        ordering = []
        for param in value:
            name = self.param_map.get(param.lstrip("-"))
            if name is None:
                continue
            expression = F(name)
            ordering.append(
                expression.desc(nulls_last=True)
                if param.startswith("-")
                else expression.asc(nulls_last=True)
            )
        return qs.order_by(*ordering, "name")


def text_filter(label: str) -> filters.CharFilter:
    return filters.CharFilter(
        label=label,
        method="filter_text",
        max_length=SEARCH_MAX_LENGTH,
        widget=forms.TextInput(attrs={"type": "search"}),
    )


def diet_q(prefix: str, diet: str) -> Q:
    """Foods suitable for a diet: vegetarian includes vegan foods."""
    allowed = [FoodSource.Diet.VEGAN]
    if diet == FoodSource.Diet.VEGETARIAN:
        allowed.append(FoodSource.Diet.VEGETARIAN)
    return Q(**{f"{prefix}diet__in": allowed})


DIET_CHOICES = [
    (FoodSource.Diet.VEGAN, "Vegan"),
    (FoodSource.Diet.VEGETARIAN, "Vegetarian (includes vegan)"),
]


class CauseFilter(filters.FilterSet):
    area = filters.ModelChoiceFilter(
        widget=widgets.Select,
        label="Where is the twitch?",
        field_name="body_areas",
        to_field_name="slug",
        queryset=BodyArea.objects.all(),
        empty_label="Anywhere",
    )
    symptom = filters.ModelMultipleChoiceFilter(
        label="What else do you notice?",
        field_name="symptoms__slug",
        to_field_name="slug",
        queryset=Symptom.objects.all(),
        widget=widgets.CheckboxSelectMultiple,
    )
    category = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=Cause.Category.choices,
        label="Category",
        empty_label=ANY,
    )
    commonality = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=Commonality.choices,
        label="Commonality",
        empty_label=ANY,
    )
    urgency = filters.ChoiceFilter(
        widget=widgets.Select, choices=Urgency.choices, label="Urgency", empty_label=ANY
    )
    nutrient = filters.ModelChoiceFilter(
        widget=widgets.Select,
        label="Related nutrient",
        to_field_name="slug",
        queryset=Nutrient.objects.only("name", "slug"),
        empty_label=ANY,
    )
    q = text_filter("Contains the words")
    sort = NullsLastOrderingFilter(
        widget=widgets.Select,
        fields=(
            ("name", "name"),
            ("commonality", "commonality"),
            ("urgency", "urgency"),
        ),
        field_labels={
            "name": "Name",
            "commonality": "Commonality",
            "urgency": "Urgency",
        },
        label="Sort by",
        empty_label="Name, A to Z",
    )

    class Meta:
        model = Cause
        form = FilterForm
        fields: list[str] = []

    def filter_text(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        query = Q()
        for field in ("name", "aliases", "mechanism", "recommended_action"):
            query |= Q(**{f"{field}__icontains": value})
        return queryset.filter(query)

    @property
    def qs(self) -> QuerySet:
        # A cause matching two chosen symptoms joins twice: list it once.
        return super().qs.distinct()


class NutrientFilter(filters.FilterSet):
    kind = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=Nutrient.Kind.choices,
        label="Kind",
        empty_label=ANY,
    )
    food = filters.ModelChoiceFilter(
        widget=widgets.Select,
        label="Found in",
        field_name="foods",
        to_field_name="slug",
        queryset=FoodSource.objects.only("name", "slug"),
        empty_label=ANY,
    )
    diet = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=DIET_CHOICES,
        label="Has sources for a diet",
        method="filter_diet",
        empty_label=ANY,
    )
    cause = filters.ModelChoiceFilter(
        widget=widgets.Select,
        label="Related cause",
        field_name="causes",
        to_field_name="slug",
        queryset=Cause.objects.only("name", "slug"),
        empty_label=ANY,
    )

    class Meta:
        model = Nutrient
        form = FilterForm
        fields: list[str] = []

    def filter_diet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(diet_q("foods__", value))

    @property
    def qs(self) -> QuerySet:
        return super().qs.distinct()


class FoodFilter(filters.FilterSet):
    nutrient = filters.ModelMultipleChoiceFilter(
        label="Provides all of",
        field_name="nutrients__slug",
        to_field_name="slug",
        queryset=Nutrient.objects.only("name", "slug"),
        conjoined=True,
        widget=widgets.CheckboxSelectMultiple,
    )
    category = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=FoodSource.Category.choices,
        label="Category",
        empty_label=ANY,
    )
    diet = filters.ChoiceFilter(
        widget=widgets.Select,
        choices=DIET_CHOICES,
        label="Suitable for",
        method="filter_diet",
        empty_label=ANY,
    )
    sort = filters.OrderingFilter(
        widget=widgets.Select,
        fields=(("name", "name"), ("category", "category")),
        field_labels={"name": "Name", "category": "Category"},
        label="Sort by",
        empty_label="Name, A to Z",
    )

    class Meta:
        model = FoodSource
        form = FilterForm
        fields: list[str] = []

    def filter_diet(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return queryset.filter(diet_q("", value))

    @property
    def qs(self) -> QuerySet:
        return super().qs.distinct()
