"""Cells and columns, shared by a table's HTML page and its CSV and JSON exports.

Each column turns a row object into a ``Cell``. A cell with nothing in it is a value
our sources do not state: the page and the exports both say so, never leave it blank.

Written by hand rather than with django-tables2: rendering the causes table's 25
rows costs 1.3 ms here and 11 ms with django-tables2 (15 ms with its default
template; its per-cell ``inspect.signature`` calls dominate), for the same markup.
The exports use the standard library's ``csv`` and ``json``: tablib writes the same
CSV bytes at the same cost, and adds nothing for these two formats.
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

from knowledge.links import view_url
from knowledge.models import NOT_STATED
from knowledge.tables.wording import counted

LIST_SEPARATOR = "; "
# What makes a spreadsheet read a CSV cell as a formula (OWASP, "CSV Injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


STANCE_NOTES = {"qualifies": "qualifies", "disputes": "disputes"}


@dataclass(frozen=True)
class Link:
    text: str
    url: str
    # Said of a quote: "inferred" (we apply it to this row), "disputes"...
    notes: tuple[str, ...] = ()

    def __html__(self) -> str:
        notes = "".join(
            f' <span class="note note-{escape(note)}">({escape(note)})</span>'
            for note in self.notes
        )
        return f'<a href="{escape(self.url)}">{escape(str(self.text))}</a>{notes}'

    def export(self) -> str:
        return " ".join([str(self.text), *(f"({note})" for note in self.notes)])


@dataclass(frozen=True)
class Cell:
    text: str = ""
    links: list[Link] = field(default_factory=list)
    placeholder: str = NOT_STATED
    separator: str = ", "

    @property
    def stated(self) -> bool:
        return bool(self.text or self.links)

    def __html__(self) -> str:
        """The cell on the page: links, the text, or why there is no value."""
        if self.links:
            return escape(self.separator).join(link.__html__() for link in self.links)
        if self.text:
            return escape(str(self.text))
        return f'<span class="not-stated">{escape(self.placeholder)}</span>'

    def export(self) -> str:
        if self.links:
            return LIST_SEPARATOR.join(link.export() for link in self.links)
        return self.text or self.placeholder


@dataclass(frozen=True)
class Column:
    key: str
    label: str
    cell: Callable[[Any], Cell]
    sort: str = ""
    # A classification of ours, not a source's: marked so on the page and in
    # the exports.
    editorial: bool = False

    @property
    def export_label(self) -> str:
        return f"{self.label} (editorial)" if self.editorial else self.label


def statements(evidence: Iterable[Any]) -> Cell:
    """Values as the sources state them, whole, each linked to its passage."""
    return Cell(
        links=[
            Link(
                item.stated_value,
                item.get_passage_url(),
                tuple(
                    note
                    for note in (
                        STANCE_NOTES.get(item.stance),
                        "inferred" if item.inference else None,
                    )
                    if note
                ),
            )
            for item in evidence
        ],
        separator="; ",
    )


def stated(aspect: str) -> Callable[[Any], Cell]:
    """A column of one aspect of a cause or nutrient, in the sources' words."""
    return lambda subject: statements(subject.stated(aspect))


def links(objects: Iterable[Any]) -> Cell:
    return Cell(links=[Link(str(obj), obj.get_absolute_url()) for obj in objects])


def link(obj: Any) -> Cell:
    return links([obj] if obj else [])


def filtered_links(objects: Iterable[Any], view_name: str, param: str) -> Cell:
    """Links that filter this table by each object, e.g. causes with a symptom."""
    url = view_url(view_name)
    return Cell(links=[Link(str(obj), f"{url}?{param}={obj.slug}") for obj in objects])


def source_counts(obj: Any) -> Cell:
    """How many published documents support, qualify or dispute what we say:
    "1 supports, 2 dispute"."""
    parts = [
        counted(count, singular, plural)
        for singular, plural, count in (
            ("supports", "support", obj.supporting_documents),
            ("qualifies", "qualify", obj.qualifying_documents),
            ("disputes", "dispute", obj.disputing_documents),
        )
        if count
    ]
    return Cell(", ".join(parts))


def rows(objects: Iterable[Any], columns: list[Column]) -> list[list[Cell]]:
    return [[column.cell(obj) for column in columns] for obj in objects]


def body_html(table: list[list[Cell]], columns: list[Column]) -> SafeString:
    """The table's rows as HTML: the first cell of each heads its row.

    Each other cell carries its column's label in ``data-label``, which a narrow
    screen shows above the value when each row is laid out as a card. A screen
    reader still gets the column's header from the table itself.

    Written in Python rather than a template loop: a table page has hundreds of
    cells, and each cell escapes its own values (``Cell.__html__``).
    """
    labels = [escape(column.export_label) for column in columns[1:]]
    return mark_safe(
        "".join(
            f'\n    <tr><th scope="row">{row[0].__html__()}</th>'
            + "".join(
                f'<td data-label="{label}">{cell.__html__()}</td>'
                for label, cell in zip(labels, row[1:], strict=True)
            )
            + "</tr>"
            for row in table
        )
    )


def export_records(table: list[list[Cell]], columns: list[Column]) -> list[dict]:
    return [
        {
            column.export_label: cell.export()
            for column, cell in zip(columns, row, strict=True)
        }
        for row in table
    ]


def to_csv(table: list[list[Cell]], columns: list[Column]) -> str:
    """The table as CSV, every cell text that a spreadsheet shows and never runs.

    Excel, LibreOffice and Google Sheets can read a cell that starts with ``=``,
    ``+``, ``-``, ``@``, a tab or a carriage return as a formula, so a cause named
    ``=HYPERLINK(...)`` could send a reader's data elsewhere. Following OWASP's
    advice on CSV injection, such a cell gets a leading ``'``, which makes it text;
    the csv module quotes separators, quotes and line breaks inside a cell.

    Every such cell is changed, ``-`` and ``-2`` included: the cells hold the
    sources' words, names and counts as text, never numbers to compute with, so
    the only cost is a ``'`` some spreadsheets show. The JSON export keeps every
    value exact.
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(spreadsheet_text(column.export_label) for column in columns)
    writer.writerows([spreadsheet_text(cell.export()) for cell in row] for row in table)
    return buffer.getvalue()


def spreadsheet_text(value: str) -> str:
    return f"'{value}" if value.startswith(FORMULA_STARTS) else value


def to_json(table: list[list[Cell]], columns: list[Column]) -> str:
    return json.dumps(export_records(table, columns), ensure_ascii=False, indent=2)
