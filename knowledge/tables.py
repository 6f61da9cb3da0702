"""The comparison tables' columns, shared by the HTML page and the CSV/JSON exports.

Each column turns a row object into a ``Cell``. A cell with nothing in it is a value
our sources do not state: the page and the exports both say so, never leave it blank.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from html import escape  # the same five characters as Django's escape
from typing import Any

from django.utils.safestring import SafeString, mark_safe

from knowledge.models import NOT_STATED, Cause, FoodSource, Nutrient
from knowledge.models.content import view_url

LIST_SEPARATOR = "; "


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class Cell:
    text: str = ""
    links: list[Link] = field(default_factory=list)
    placeholder: str = NOT_STATED

    @property
    def stated(self) -> bool:
        return bool(self.text or self.links)

    def __html__(self) -> str:
        """The cell on the page: links, the text, or why there is no value."""
        if self.links:
            return ", ".join(
                f'<a href="{escape(x.url)}">{escape(str(x.text))}</a>'
                for x in self.links
            )
        if self.text:
            return escape(str(self.text))
        return f'<span class="not-stated">{escape(self.placeholder)}</span>'

    def export(self) -> str:
        if self.links:
            return LIST_SEPARATOR.join(link.text for link in self.links)
        return self.text or self.placeholder


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[Any], Cell]
    sort: str = ""


def links(objects: Iterable[Any]) -> Cell:
    return Cell(links=[Link(str(obj), obj.get_absolute_url()) for obj in objects])


def link(obj: Any) -> Cell:
    return links([obj] if obj else [])


def filtered_links(objects: Iterable[Any], view_name: str, param: str) -> Cell:
    """Links that filter this table by each object, e.g. causes with a symptom."""
    url = view_url(view_name)
    return Cell(links=[Link(str(obj), f"{url}?{param}={obj.slug}") for obj in objects])


def source_counts(obj: Any) -> Cell:
    """How many published documents support, qualify or dispute what we say."""
    parts = [
        f"{count} {verb}"
        for verb, count in (
            ("support", obj.supporting_documents),
            ("qualify", obj.qualifying_documents),
            ("dispute", obj.disputing_documents),
        )
        if count
    ]
    return Cell(", ".join(parts))


def cause_nutrient(cause: Cause) -> Cell:
    cell = link(cause.nutrient)
    if cause.nutrient is None:
        return Cell(placeholder="Not nutrient-related")
    return cell


def food_diet(food: FoodSource) -> Cell:
    if food.kind == FoodSource.Kind.OTHER:
        return Cell("Not a food")
    if not food.diet:
        return Cell(placeholder="Not clear: depends on the product")
    return Cell(food.get_diet_display())


CAUSE_COLUMNS = [
    Column("name", "Cause", link, sort="name"),
    Column("category", "Category", lambda c: Cell(c.get_category_display())),
    Column("mechanism", "Mechanism", lambda c: Cell(c.mechanism)),
    Column(
        "symptoms",
        "Symptoms",
        lambda c: filtered_links(c.symptoms.all(), "knowledge:cause-list", "symptom"),
    ),
    Column(
        "areas",
        "Where",
        lambda c: filtered_links(c.body_areas.all(), "knowledge:cause-list", "area"),
    ),
    Column(
        "commonality",
        "Commonality",
        lambda c: Cell(c.get_commonality_display() or ""),
        sort="commonality",
    ),
    Column(
        "urgency",
        "Urgency",
        lambda c: Cell(c.get_urgency_display() or ""),
        sort="urgency",
    ),
    Column("action", "Recommended action", lambda c: Cell(c.recommended_action)),
    Column("nutrient", "Nutrient", cause_nutrient),
    Column("sources", "Sources", source_counts),
]

NUTRIENT_COLUMNS = [
    Column("name", "Nutrient", link),
    Column("kind", "Kind", lambda n: Cell(n.get_kind_display())),
    Column("deficiency", "Deficiency term", lambda n: Cell(n.deficiency_term)),
    Column("role", "Role in nerve and muscle function", lambda n: Cell(n.role)),
    Column("foods", "Food sources", lambda n: links(n.foods.all())),
    Column("causes", "Causes", lambda n: links(n.causes.all())),
    Column("sources", "Sources", source_counts),
]

FOOD_COLUMNS = [
    Column("name", "Food", link, sort="name"),
    Column(
        "category", "Category", lambda f: Cell(f.get_category_display()), "category"
    ),
    Column("nutrients", "Nutrients", lambda f: links(f.nutrients.all())),
    Column("diet", "Diet", food_diet),
]

TABLE_COLUMNS: dict[type, list[Column]] = {
    Cause: CAUSE_COLUMNS,
    Nutrient: NUTRIENT_COLUMNS,
    FoodSource: FOOD_COLUMNS,
}


def rows(objects: Iterable[Any], columns: list[Column]) -> list[list[Cell]]:
    return [[column.cell(obj) for column in columns] for obj in objects]


def body_html(table: list[list[Cell]]) -> SafeString:
    """The table's rows as HTML: the first cell of each heads its row.

    Written in Python rather than a template loop: a table page has hundreds of
    cells, and each cell escapes its own values (``Cell.__html__``).
    """
    return mark_safe(
        "".join(
            f'\n    <tr><th scope="row">{row[0].__html__()}</th>'
            + "".join(f"<td>{cell.__html__()}</td>" for cell in row[1:])
            + "</tr>"
            for row in table
        )
    )


def export_records(table: list[list[Cell]], columns: list[Column]) -> list[dict]:
    return [
        {column.label: cell.export() for column, cell in zip(columns, row, strict=True)}
        for row in table
    ]


def to_csv(table: list[list[Cell]], columns: list[Column]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(column.label for column in columns)
    writer.writerows([cell.export() for cell in row] for row in table)
    return buffer.getvalue()


def to_json(table: list[list[Cell]], columns: list[Column]) -> str:
    return json.dumps(export_records(table, columns), ensure_ascii=False, indent=2)
