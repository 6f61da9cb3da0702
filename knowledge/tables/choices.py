"""Filters that choose foods, causes or nutrients, however many of them there are.

While a filter has at most ``settings.TABLE_CHOICE_LIMIT`` options it is a menu
(or checkboxes), as every other filter is. Past that, a menu would hold thousands
of options that no one can scan, and weigh megabytes: the filter is a text field
instead. It takes an item's name, in any case, or its slug, as the links into the
tables give it, and shows the chosen item's name. As the reader types, a script
(``static/js/typeahead.js``) fills the field's datalist with names from the
suggestions endpoint (``knowledge.views.suggestions``); without it, a reader types
the name in full.

Whether a list is long is learnt from the one query that fetches its options: it
asks for one more than the limit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import django_filters as filters
from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Case, Model, Q, QuerySet, Value, When
from django.db.models.functions import Lower
from django.forms.boundfield import BoundField
from django.forms.models import ModelChoiceIterator
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.text import Truncator

from knowledge import fragments
from knowledge.models import Cause, FoodSource, Nutrient
from knowledge.tables import base

# The most names one request for suggestions returns.
SUGGESTIONS_SHOWN = 10


@dataclass(frozen=True)
class Choosable:
    """A kind of item the tables filter by, and that may number thousands."""

    kind: str  # as the suggestions' address names it: "foods"
    noun: str  # one of them: "food"
    model: type[Model]

    def queryset(self) -> QuerySet:
        """What a reader chooses from: the filters' options and the suggestions."""
        return self.model.objects.only("name", "slug")

    def suggestions(self, text: str, limit: int = SUGGESTIONS_SHOWN) -> list[str]:
        """The names that contain the text, in any case: those that start with it
        first, then by name."""
        starts = Case(When(name__istartswith=text, then=Value(0)), default=Value(1))
        return list(
            self.queryset()
            .filter(name__icontains=text)
            .alias(starts=starts)
            .order_by("starts", "name")
            .values_list("name", flat=True)[:limit]
        )

    def suggestions_url(self) -> str:
        return reverse("knowledge:suggestions", kwargs={"kind": self.kind})


FOODS = Choosable("foods", "food", FoodSource)
CAUSES = Choosable("causes", "cause", Cause)
NUTRIENTS = Choosable("nutrients", "nutrient", Nutrient)
CHOOSABLE = {choosable.kind: choosable for choosable in (FOODS, CAUSES, NUTRIENTS)}


def choice_limit() -> int:
    return settings.TABLE_CHOICE_LIMIT


# -- widgets -------------------------------------------------------------------------


class NameInput(forms.TextInput):
    """A text field for an item's name, with a datalist the script fills, and a
    hint under it."""

    input_type = "search"

    def __init__(self, choosable: Choosable, attrs=None):
        super().__init__(attrs)
        self.choosable = choosable

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = dict(attrs or {})
        element_id = attrs.get("id") or f"id_{name}"
        hint_id, list_id = f"{element_id}_hint", f"{element_id}_suggestions"
        described = [attrs.get("aria-describedby"), hint_id]
        attrs |= {
            "list": list_id,
            # The browser's own history of the field would crowd the suggestions.
            "autocomplete": "off",
            "maxlength": self.choosable.model._meta.get_field("name").max_length,
            "data-suggest": self.choosable.suggestions_url(),
            "data-suggest-max-length": base.SEARCH_MAX_LENGTH,
            "aria-describedby": " ".join(filter(None, described)),
        }
        return format_html(
            '{}<datalist id="{}"></datalist>'
            '<span class="helptext choice-hint" id="{}">{}</span>',
            super().render(name, value, attrs, renderer),
            list_id,
            hint_id,
            f"Type a {self.choosable.noun}'s name.",
        )


class ChosenAndNameInput(forms.CheckboxSelectMultiple):
    """The items chosen so far, as ticked checkboxes, and a text field to add one.

    Its choices are the chosen items alone (``NamedMultipleChoiceField`` sets
    them): unticking a box drops the item. The text field is sent under the same
    name, so the filter reads what is typed there as one more item; left empty,
    it is ignored.
    """

    def __init__(self, choosable: Choosable, attrs=None, choices=()):
        super().__init__(attrs, choices)
        self.choosable = choosable

    def render(self, name, value, attrs=None, renderer=None) -> SafeString:
        attrs = dict(attrs or {})
        # What is wrong is a typed name: only the text field is marked invalid.
        invalid = attrs.pop("aria-invalid", None)
        element_id = attrs.get("id") or f"id_{name}"
        chosen_keys = {str(key) for key, _label in self.choices}
        values = [str(v) for v in value or ()]
        typed = next((v for v in values if v not in chosen_keys), "")
        boxes = (
            super().render(
                name, [v for v in values if v in chosen_keys], attrs, renderer
            )
            if self.choices
            else ""
        )
        add_id = f"{element_id}_add"
        add_attrs = {"id": add_id} | ({"aria-invalid": invalid} if invalid else {})
        return format_html(
            '{}<div class="choice-add"><label for="{}">Add a {}:</label> {}</div>',
            boxes,
            add_id,
            self.choosable.noun,
            NameInput(self.choosable).render(name, typed, add_attrs, renderer),
        )


# -- fields --------------------------------------------------------------------------


class FirstOptionsIterator(ModelChoiceIterator):
    """The field's first options, as many as a menu may hold and one more; no
    null option.

    Fetched once for the field (``first_options``), whether to decide between a
    menu and a text field, to render the menu, or to word an error.
    """

    def __iter__(self) -> Iterator:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.field.first_options():
            yield self.choice(obj)

    def __len__(self) -> int:
        empty = 1 if self.field.empty_label is not None else 0
        return len(self.field.first_options()) + empty

    def __bool__(self) -> bool:
        return self.field.empty_label is not None or bool(self.field.first_options())


class NamedChoiceBoundField(BoundField):
    """Renders the field as a text field (``long_widget``) when its options are
    too many for a menu, and the chosen items as the widget shows them."""

    def as_widget(self, widget=None, attrs=None, only_initial=False) -> SafeString:
        if widget is None and self.field.is_long():
            widget = self.field.long_widget()
        return super().as_widget(widget, attrs, only_initial)

    def value(self):
        return self.field.shown_value(super().value())


class NamedChoiceMixin:
    """A model choice field over a ``Choosable`` that takes an item's slug or its
    name, in any case.

    The items found while cleaning are kept by the values that named them, so that
    the widget can show them (``shown_value``) without another query.
    """

    iterator = FirstOptionsIterator
    bound_field_class = NamedChoiceBoundField
    default_error_messages = {
        "unknown_name": "No %(noun)s called “%(value)s”. Check the spelling.",
    }

    def __init__(self, *args, choosable: Choosable, **kwargs):
        self.choosable = choosable
        self._first: list[Model] | None = None
        self._found: dict[str, Model] = {}
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        # Each form's copy fetches and finds its own items.
        result._first, result._found = None, {}
        return result

    def first_options(self) -> list[Model]:
        """The first ``limit + 1`` options, read once per content version: every
        table page asks whether its lists are long."""
        if self._first is None:
            limit = choice_limit()
            self._first = fragments.cached(
                "first-options",
                (self.choosable.kind, limit),
                lambda: list(self.queryset[: limit + 1]),
            )
        return self._first

    def is_long(self) -> bool:
        """Whether there are too many options for a menu."""
        return len(self.first_options()) > choice_limit()

    def find(self, values: Iterable[str]) -> dict[str, Model]:
        """The items these values name, each by slug or by name in any case, in
        one query; a slug wins over another item's name."""
        values = list(dict.fromkeys(values))  # once each, in the order sent
        lowered = {value.lower() for value in values}
        items = list(
            self.queryset.alias(lower_name=Lower("name")).filter(
                Q(slug__in=values) | Q(lower_name__in=lowered)
            )
        )
        by_slug = {item.slug: item for item in items}
        by_name = {item.name.lower(): item for item in items}
        for value in values:
            if item := by_slug.get(value) or by_name.get(value.lower()):
                self._found[value] = item
        return {value: self._found[value] for value in values if value in self._found}

    def unknown(self, value: str) -> ValidationError:
        """The error for a value that names no item: worded for a typed name where
        the reader types one, as Django words it for a menu."""
        if not self.is_long():
            return ValidationError(
                self.error_messages["invalid_choice"],
                code="invalid_choice",
                params={"value": value},
            )
        return ValidationError(
            self.error_messages["unknown_name"],
            code="unknown_name",
            params={"noun": self.choosable.noun, "value": Truncator(value).chars(40)},
        )


class NamedChoiceField(NamedChoiceMixin, forms.ModelChoiceField):
    def to_python(self, value) -> Model | None:
        if value in self.empty_values:
            return None
        text = str(value).strip()
        if not text:
            return None
        self.validate_no_null_characters(text)
        found = self.find([text])
        if text not in found:
            raise self.unknown(text)
        return found[text]

    def long_widget(self) -> forms.Widget:
        return NameInput(self.choosable)

    def shown_value(self, value):
        """The value as the widget shows it: the item found while cleaning, by
        name in a text field and by slug in a menu; anything else as it was sent."""
        if not isinstance(value, str):
            return value
        item = self._found.get(value.strip())
        if item is None:
            return value
        return item.name if self.is_long() else item.slug


class NamedMultipleChoiceField(NamedChoiceMixin, forms.ModelMultipleChoiceField):
    def clean(self, value) -> list[Model]:
        if value in self.empty_values:
            value = []
        if not isinstance(value, list | tuple):
            raise ValidationError(
                self.error_messages["invalid_list"], code="invalid_list"
            )
        # The text field beside the checkboxes is sent even when left empty.
        values = [text for text in (str(v).strip() for v in value) if text]
        if not values:
            if self.required:
                raise ValidationError(self.error_messages["required"], code="required")
            return []
        for text in values:
            self.validate_no_null_characters(text)
        found = self.find(values)
        if unknown := [text for text in values if text not in found]:
            raise self.unknown(unknown[0])
        self.run_validators(values)
        return list(dict.fromkeys(found[text] for text in values))

    def chosen(self) -> list[Model]:
        """The items found while cleaning, once each, in the order they were sent."""
        return list(dict.fromkeys(self._found.values()))

    def long_widget(self) -> forms.Widget:
        widget = ChosenAndNameInput(self.choosable)
        widget.choices = [(item.slug, item.name) for item in self.chosen()]
        return widget

    def shown_value(self, value):
        """The values as the widget shows them: the items found while cleaning by
        slug, as their checkboxes have them; anything else as it was sent."""
        if not isinstance(value, list | tuple):
            return value
        texts = [text for text in (str(v).strip() for v in value) if text]
        return [
            item.slug if (item := self._found.get(text)) else text for text in texts
        ]


# -- filters -------------------------------------------------------------------------


class NamedChoiceFilter(filters.ModelChoiceFilter):
    """One food, cause or nutrient: a menu, or a text field when there are many."""

    field_class = NamedChoiceField

    def __init__(self, *args, choosable: Choosable, **kwargs):
        kwargs.setdefault("empty_label", base.ANY)
        super().__init__(
            *args,
            choosable=choosable,
            queryset=choosable.queryset(),
            to_field_name="slug",
            widget=base.Select,
            **kwargs,
        )


class NamedMultipleChoiceFilter(filters.ModelMultipleChoiceFilter):
    """Several foods, causes or nutrients: checkboxes, or when there are many, the
    chosen ones ticked and a text field to add one."""

    field_class = NamedMultipleChoiceField

    def __init__(self, *args, choosable: Choosable, **kwargs):
        super().__init__(
            *args,
            choosable=choosable,
            queryset=choosable.queryset(),
            to_field_name="slug",
            widget=base.CheckboxSelectMultiple,
            **kwargs,
        )

    def filter(self, qs: QuerySet, value) -> QuerySet:
        """The rows linked to the chosen ones (to every one, when conjoined), each
        link tested with a subquery rather than joined: a row is listed once
        however many sources link it, with no DISTINCT, so a page of rows is read
        in the order of an index and the rest is not read."""
        if not value or self.is_noop(qs, value):
            return qs
        rows = qs.model._default_manager
        predicates = [Q(**self.get_filter_predicate(v)) for v in set(value)]
        if self.conjoined:
            for predicate in predicates:
                qs = self.get_method(qs)(pk__in=rows.filter(predicate).values("pk"))
            return qs
        either = Q(*predicates, _connector=Q.OR)
        return self.get_method(qs)(pk__in=rows.filter(either).values("pk"))


class SuggestingFilterSet(base.TableFilterSet):
    """A FilterSet whose page loads the typeahead script when a field needs it."""

    @property
    def suggests(self) -> bool:
        """Whether any field is a text field that suggests names."""
        return any(
            isinstance(field, NamedChoiceMixin) and field.is_long()
            for field in self.form.fields.values()
        )
