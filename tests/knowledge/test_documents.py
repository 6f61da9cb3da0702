from knowledge.documents import parse_document, split_items, to_markdown

DOCUMENT = """A Title
Intro paragraph that ends with a full stop.
Causes
- Label One: first item.
- Label Two: second item with a * star.
Sub Part
Cause | Mechanism |
---|---|
Stress/Anxiety | Overstimulation |
Caffeine, and more | Stimulation, nerves |
Furniture line
"""


def parse():
    return parse_document(
        DOCUMENT,
        title="A Title",
        title_is_first_line=True,
        drop_lines=["Furniture line"],
        subheadings=["Sub Part"],
    )


def test_parser_finds_headings_lists_and_tables():
    parsed = parse()
    assert [b.kind for b in parsed.blocks] == [
        "paragraph",
        "heading",
        "list",
        "subheading",
        "table",
    ]
    table = parsed.table_under("Sub Part")
    assert table.header == ["Cause", "Mechanism"]
    assert table.records()[1] == {
        "Cause": "Caffeine, and more",
        "Mechanism": "Stimulation, nerves",
    }


def test_markdown_keeps_structure_escapes_text_and_drops_furniture():
    markdown = to_markdown(parse())
    assert markdown.startswith("Intro paragraph")
    assert "## Causes" in markdown
    assert "### Sub Part" in markdown
    assert "- **Label One:** first item." in markdown
    assert r"a \* star" in markdown
    assert "| Stress/Anxiety | Overstimulation |" in markdown
    assert "Furniture" not in markdown
    assert "A Title" not in markdown


def test_section_of_names_the_heading_above_a_passage():
    parsed = parse()
    assert parsed.section_of("second item", DOCUMENT) == "Causes"
    assert parsed.section_of("Intro paragraph", DOCUMENT) == ""


def test_split_items_keeps_commas_inside_brackets():
    cell = "Dairy products (milk, yogurt), fortified plant milks, kale."
    assert split_items(cell) == [
        "Dairy products (milk, yogurt)",
        "fortified plant milks",
        "kale",
    ]
