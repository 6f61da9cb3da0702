"""Parse the plain-text source documents into blocks, tables and Markdown.

The documents are web pages saved as text: headings, paragraphs and list items are
one line each, tables are pipe-separated. Nothing here knows about the models; the
knowledge-base builder combines what this returns with the curated file.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

LIST_MARKERS = ("- ", "• ")
HEADING_MAX_LENGTH = 80
SENTENCE_END = (".", ":", "?", "!", ",", ";")


@dataclass
class Table:
    """A pipe table: header cells and rows of cells, with the heading above it."""

    heading: str
    header: list[str]
    rows: list[list[str]]

    def records(self) -> list[dict[str, str]]:
        return [dict(zip(self.header, row, strict=True)) for row in self.rows]


@dataclass
class Block:
    kind: str  # "heading", "subheading", "paragraph", "list", "table"
    text: str = ""
    items: list[str] = field(default_factory=list)
    table: Table | None = None


@dataclass
class ParsedDocument:
    title: str
    blocks: list[Block]

    @property
    def tables(self) -> list[Table]:
        return [block.table for block in self.blocks if block.table]

    @property
    def headings(self) -> list[str]:
        return [b.text for b in self.blocks if b.kind in {"heading", "subheading"}]

    def table_under(self, heading: str) -> Table:
        for table in self.tables:
            if table.heading == heading:
                return table
        raise KeyError(f"No table under the heading {heading!r}")

    def section_of(self, text: str, source: str) -> str:
        """The heading of the section in which ``text`` first occurs in ``source``."""
        offset = source.index(text)
        section = ""
        for heading in self.headings:
            match = re.search(rf"^{re.escape(heading)}\s*$", source, re.MULTILINE)
            if match and match.start() <= offset:
                section = heading
        return section


def split_cells(line: str) -> list[str]:
    """Split a pipe-table line into its cells, with or without outer pipes."""
    stripped = line.strip()
    if stripped.startswith("|"):
        stripped = stripped[1:]
    if stripped.endswith("|"):
        stripped = stripped[:-1]
    return [cell.strip() for cell in stripped.split("|")]


def is_separator(line: str) -> bool:
    return bool(
        re.fullmatch(r"\|?\s*:?-{3,}:?\s*(\|\s*:?-{3,}:?\s*)*\|?", line.strip())
    )


def is_heading(line: str) -> bool:
    return (
        len(line) <= HEADING_MAX_LENGTH
        and not line.endswith(SENTENCE_END)
        and not line.startswith(LIST_MARKERS)
        and "|" not in line
    )


def parse_document(
    text: str,
    *,
    title: str,
    title_is_first_line: bool = False,
    drop_lines: tuple[str, ...] | list[str] = (),
    subheadings: tuple[str, ...] | list[str] = (),
) -> ParsedDocument:
    """Split a document into headings, paragraphs, lists and tables."""
    lines = [line.strip() for line in text.splitlines()]
    lines = [line for line in lines if line and line not in drop_lines]
    if title_is_first_line:
        if lines[0] != title:
            raise ValueError(f"Expected the first line to be {title!r}")
        lines = lines[1:]

    blocks: list[Block] = []
    heading = ""
    index = 0
    while index < len(lines):
        line = lines[index]
        if "|" in line and index + 1 < len(lines) and is_separator(lines[index + 1]):
            header = split_cells(line)
            rows = []
            index += 2
            while index < len(lines) and "|" in lines[index]:
                rows.append(split_cells(lines[index]))
                index += 1
            blocks.append(Block("table", table=Table(heading, header, rows)))
            continue
        if line.startswith(LIST_MARKERS):
            item = line[2:].strip()
            if blocks and blocks[-1].kind == "list":
                blocks[-1].items.append(item)
            else:
                blocks.append(Block("list", items=[item]))
        elif is_heading(line):
            kind = "subheading" if line in subheadings else "heading"
            blocks.append(Block(kind, text=line))
            heading = line
        else:
            blocks.append(Block("paragraph", text=line))
        index += 1
    return ParsedDocument(title=title, blocks=blocks)


MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>#])")
LIST_LABEL = re.compile(r"^([^:]{1,60}):\s")


def escape_markdown(text: str) -> str:
    return MARKDOWN_SPECIAL.sub(r"\\\1", text)


def to_markdown(document: ParsedDocument) -> str:
    """Render the parsed blocks as Markdown, one block per paragraph."""
    chunks = []
    for block in document.blocks:
        if block.kind == "heading":
            chunks.append(f"## {escape_markdown(block.text)}")
        elif block.kind == "subheading":
            chunks.append(f"### {escape_markdown(block.text)}")
        elif block.kind == "paragraph":
            chunks.append(escape_markdown(block.text))
        elif block.kind == "list":
            chunks.append("\n".join(f"- {list_item(item)}" for item in block.items))
        elif block.table:
            chunks.append(table_markdown(block.table))
    return "\n\n".join(chunks) + "\n"


def list_item(item: str) -> str:
    """A list item, with its leading "Label:" in bold as the page shows it."""
    escaped = escape_markdown(item)
    if match := LIST_LABEL.match(item):
        label = escape_markdown(match.group(1))
        return f"**{label}:** {escape_markdown(item[match.end() :])}"
    return escaped


def table_markdown(table: Table) -> str:
    def row(cells: list[str]) -> str:
        return "| " + " | ".join(escape_markdown(c) for c in cells) + " |"

    lines = [row(table.header), "| " + " | ".join("---" for _ in table.header) + " |"]
    lines.extend(row(cells) for cells in table.rows)
    return "\n".join(lines)


def split_items(cell: str) -> list[str]:
    """Split a table cell's comma-separated list, keeping commas in brackets."""
    items, depth, current = [], 0, ""
    for char in cell:
        if char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        if char == "," and depth == 0:
            items.append(current)
            current = ""
        else:
            current += char
    items.append(current)
    return [item.strip().rstrip(".").strip() for item in items if item.strip()]
