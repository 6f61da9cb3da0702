"""Cells and columns: each value escaped, each cell labelled with its column, and
the counts of sources in the right number."""

from types import SimpleNamespace

import pytest

from knowledge.tables.cells import Cell, Column, Link, body_html, source_counts


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
