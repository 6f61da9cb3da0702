"""The facts readers see, and how a proposed change to one is written down, shown
and applied.

A change keeps the fields' values as JSON: a foreign key as the key of the row it
points to, or as ``"new:<change>"`` for a row another change of the same proposal
adds; a date as ISO text. ``apply`` writes a change to the knowledge base, after
checking that no one changed the same fields meanwhile and that the result passes
every rule the model has (``full_clean``: a passage must still be in its document).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps
from django.db import models

NEW = "new:"

# What editors change through proposals, and the fields they may change. A source
# document's text never changes (a corrected text is a new document): only what it
# says of itself.
FACTS: dict[str, tuple[str, ...] | None] = {
    "knowledge.cause": None,
    "knowledge.nutrient": None,
    "knowledge.foodsource": None,
    "knowledge.condition": None,
    "knowledge.symptom": None,
    "knowledge.bodyarea": None,
    "knowledge.evidence": None,
    "knowledge.causesymptom": None,
    "knowledge.causebodyarea": None,
    "knowledge.nutrientfood": None,
    "search.synonym": None,
    "knowledge.sourcedocument": (
        "title",
        "editorial_title",
        "author",
        "published_on",
        "url",
    ),
}


class Conflict(Exception):
    """The published fact changed since the proposal was made."""


def is_fact(model: type[models.Model]) -> bool:
    return model._meta.label_lower in FACTS


def fact_models() -> list[type[models.Model]]:
    return [apps.get_model(label) for label in FACTS]


def fields_of(model: type[models.Model]) -> list[models.Field]:
    """The fields of a fact an editor may change, in the model's order."""
    allowed = FACTS[model._meta.label_lower]
    return [
        field
        for field in model._meta.concrete_fields
        if field.editable
        and not field.primary_key
        and (allowed is None or field.name in allowed)
    ]


def to_json(field: models.Field, value: Any) -> Any:
    if isinstance(value, models.Model):
        return value.pk
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def serialise(obj: models.Model, names: list[str] | None = None) -> dict[str, Any]:
    """A fact's values, as a change keeps them."""
    fields = {field.name: field for field in fields_of(type(obj))}
    names = list(fields) if names is None else names
    return {
        name: to_json(fields[name], getattr(obj, fields[name].attname))
        for name in names
    }


def assign(obj: models.Model, data: dict[str, Any], created: dict[str, int]) -> None:
    """Set the proposed values on an object; ``created`` maps refs to new keys."""
    fields = {field.name: field for field in fields_of(type(obj))}
    for name, value in data.items():
        field = fields[name]
        if isinstance(value, str) and value.startswith(NEW) and field.is_relation:
            value = created[value]
        setattr(
            obj, field.attname, field.to_python(value) if value is not None else None
        )


def describe(
    model: type[models.Model], name: str, value: Any, labels: dict[str, str]
) -> str:
    """A value as a reviewer reads it: names, not keys; labels, not codes."""
    field = model._meta.get_field(name)
    if value in (None, ""):
        return "—"
    if field.is_relation:
        if isinstance(value, str) and value.startswith(NEW):
            return f"{labels.get(value, 'a new record')} (new)"
        related = field.related_model._default_manager.filter(pk=value).first()
        return str(related) if related else f"#{value} (gone)"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if isinstance(value, bool):
        return "Yes" if value else "No"
    return str(value)
