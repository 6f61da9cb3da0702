"""The tables' filter widgets write the markup Django's own widget templates write.

The filter forms render with Django's Jinja2 widget templates (FilterForm); the
widgets that list options write the same markup in Python. MarkupSafe escapes a
quote as ``&#34;`` where Django's ``escape`` writes ``&quot;``: the same character."""

from knowledge.tables.cells import Cell, Link


def test_cells_escape_what_they_show():
    assert Cell("<b>&'\"").__html__() == "&lt;b&gt;&amp;&#x27;&quot;"
    link = Cell(links=[Link("<i>", '/x/?a=1&b="2"')])
    assert link.__html__() == '<a href="/x/?a=1&amp;b=&quot;2&quot;">&lt;i&gt;</a>'
    assert Cell(placeholder="<none>").__html__() == (
        '<span class="not-stated">&lt;none&gt;</span>'
    )
