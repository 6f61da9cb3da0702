"""Charts drawn on the server as inline SVG: no chart library, no JavaScript.

Each function takes objects already fetched and returns one ``<figure>``, or an
empty string when there is nothing to draw. Every name is escaped by
``format_html`` and the markup is also well-formed XML. Looks come from
presentation attributes only (no ``style``), so the charts suit a strict CSP and
look right with no stylesheet. Each SVG has a ``viewBox`` and ``width="100%"``:
it scales to its column, and is drawn about 400 units wide so that its text
stays legible on a 375 px phone. The classes ``chart``, ``chart-svg`` and
``chart-note`` are there for site.css (a ``max-width`` on wide screens, say).

Colours against white: text #1d2327 (15.9:1), links #0b5cad (6.7:1), muted text
#4f5b62 (7.0:1), cell borders #6b7780 (4.6:1), dots #1e6b52 (6.4:1).
"""

from __future__ import annotations

import html
import textwrap
from collections.abc import Iterable, Sequence

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import Cause, Commonality, FoodSource, Nutrient, Urgency

TEXT, MUTED, LINK, BORDER, DOT = "#1d2327", "#4f5b62", "#0b5cad", "#6b7780", "#1e6b52"
SOFT, WARM, RULE = "#f3f6f8", "#fdf1e6", "#d5dde2"
FONT = "system-ui, -apple-system, 'Segoe UI', Roboto, sans-serif"
SIZE, LINE = 13, 16  # font size and line height, in viewBox units
EM = 0.6  # a generous average glyph width in ems, so estimated boxes never clip
SIN45 = 0.7071
HIDDEN = {"aria_hidden": "true"}  # axis labels: each list of causes is labelled


def _n(value: float) -> str:
    """A coordinate, short: 12.0 -> "12", 12.25 -> "12.2"."""
    return f"{value:.1f}".removesuffix(".0")


def _escape(value: object) -> str:
    """Numbers shortened, safe strings kept, anything else escaped."""
    if isinstance(value, SafeString):
        return value
    if isinstance(value, int | float):
        return _n(value)
    return html.escape(str(value))


def _el(tag: str, content: str = "", /, **attrs: object) -> SafeString:
    """One SVG element. ``aria_label=`` becomes ``aria-label``; numbers are
    shortened; plain-string content is escaped, SafeString content is kept.

    Built with plain string formatting and ``html.escape`` (the same five
    characters as Django's ``escape``): a chart has thousands of elements.
    """
    markup = "".join(f' {k.replace("_", "-")}="{_escape(v)}"' for k, v in attrs.items())
    if not content:
        return SafeString(f"<{tag}{markup}/>")
    return SafeString(f"<{tag}{markup}>{_escape(content)}</{tag}>")


def _join(parts: Iterable[str]) -> SafeString:
    """Join pieces that are each already safe (built by format_html)."""
    return mark_safe("".join(parts))


def _wrap(text: str, width: float) -> list[str]:
    """Lines of at most ``width`` units. A line that ended at a space keeps it, as
    a trailing space, so that ``_text`` can keep the words apart."""
    text = " ".join(text.split())
    chars = max(1, int(width // (SIZE * EM)))
    lines, pos = textwrap.wrap(text, chars, break_on_hyphens=False) or [text], 0
    for i, line in enumerate(lines):
        pos = text.index(line, pos) + len(line)
        lines[i] += " " * text.startswith(" ", pos)
    return lines


def _text(
    lines: list[str], x: float, y: float, span: dict | None = None, **attrs: object
) -> SafeString:
    """One ``<text>`` whose first baseline is at ``y``, a ``<tspan>`` per line.

    The space between two words on two lines goes between the spans: it keeps
    them apart in the accessible name and, outside a span, is not underlined.
    """
    spans = (
        _el("tspan", line.rstrip(), x=x, dy=LINE if i else 0, **(span or {}))
        + " " * line.endswith(" ")
        for i, line in enumerate(lines)
    )
    return _el("text", _join(spans), x=x, y=y, **attrs)


def _link(url: str, lines: list[str], x: float, y: float) -> SafeString:
    """A link whose accessible name is its own text, drawn on ``lines``."""
    text = _text(lines, x, y, {"text_decoration": "underline"}, fill=LINK)
    return _el("a", text, href=url)


def _figure(
    prefix: str, caption: str, desc: str, box: tuple, body: str, after: str
) -> SafeString:
    """The figure around one SVG: caption, title and desc, then ``after``."""
    svg = _el(
        "svg",
        _el("title", caption, id=f"{prefix}-title")
        + _el("desc", desc, id=f"{prefix}-desc")
        + body,
        **{
            "xmlns": "http://www.w3.org/2000/svg",
            "class": "chart-svg",
            "role": "group",
        },
        viewBox=f"0 0 {_n(box[0])} {_n(box[1])}",
        width="100%",
        aria_labelledby=f"{prefix}-title",
        aria_describedby=f"{prefix}-desc",
        font_family=FONT,
        font_size=SIZE,
        fill=TEXT,
    )
    return format_html(
        '<figure class="chart"><figcaption id="{}-caption">{}</figcaption>'
        "{}{}</figure>",
        prefix,
        caption,
        svg,
        after,
    )


def cause_matrix_svg(
    causes: Iterable[Cause], *, id_prefix: str = "cause-chart"
) -> SafeString:
    """Causes by urgency to see a doctor (across) and commonality (down).

    Every grade is drawn, with or without causes; causes sharing a cell are
    listed one under another, each a link. Causes with no stated commonality or
    urgency are named, linked, in a paragraph after the chart instead. Returns an
    empty string when there are no causes at all.
    """
    causes = list(causes)
    if not causes:
        return SafeString("")
    # Urgency across, most urgent first; commonality down, most common first. Two
    # wide columns leave names room to wrap at word breaks on a phone.
    columns, rows = list(reversed(Urgency)), list(reversed(Commonality))
    cells: dict[tuple[int, int], list[Cause]] = {}
    unplaced: list[Cause] = []
    for cause in causes:
        if cause.urgency_grade in columns and cause.commonality_grade in rows:
            cells.setdefault((cause.urgency_grade, cause.commonality_grade), []).append(
                cause
            )
        else:
            unplaced.append(cause)

    # Column headings on top, as in a table; each commonality is a band of cells
    # under a heading of its own, so the cells get the whole width.
    width, pad, band = 400, 6, 22
    col_w = (width - 2) / len(columns)
    # Names wrap to fit beside the bullet, with room to spare for wide letters.
    wrap = {
        k: [_wrap(c.name, col_w - 2 * pad - 16) for c in v] for k, v in cells.items()
    }

    def cell_height(col: int, row: int) -> float:
        return sum(len(ls) * LINE + 6 for ls in wrap.get((col, row), [])) + 2 * pad

    bold = {"font_weight": "bold", **HIDDEN}
    middle = 1 + len(columns) * col_w / 2
    title = ["How urgently to see a doctor"]
    parts = [_text(title, middle, 14, text_anchor="middle", fill=MUTED, **HIDDEN)]
    for i, col in enumerate(columns):
        x = 1 + (i + 0.5) * col_w
        parts.append(
            _text([f"{col.label} urgency"], x, 34, text_anchor="middle", **bold)
        )
    y = 42
    for row in rows:
        parts.append(_text([row.label], 1, y + band - 6, **bold))
        y += band
        row_h = max(40, *(cell_height(col, row) for col in columns))
        for i, col in enumerate(columns):
            x = 1 + i * col_w
            fill = WARM if col == columns[0] else SOFT  # the most urgent column
            box = {"x": x, "y": y, "width": col_w, "height": row_h}
            parts.append(_el("rect", **box, fill=fill, stroke=BORDER))
            items, line_y = [], y + pad + 12
            group = zip(
                cells.get((col, row), []), wrap.get((col, row), []), strict=True
            )
            for cause, lines in group:
                dot = _el("circle", cx=x + pad + 3, cy=line_y - 4, r=3, fill=TEXT)
                link = _link(cause.get_absolute_url(), lines, x + pad + 10, line_y)
                # The sources' own words, whole: the grade only places the cause.
                said = _stated_words(cause)
                words = _el("title", said) if said else SafeString("")
                items.append(_el("g", words + dot + link, role="listitem"))
                line_y += len(lines) * LINE + 6
            if items:
                label = f"{col.label} urgency, {row.label.lower()}"
                parts.append(_el("g", _join(items), role="list", aria_label=label))
        y += row_h + 6

    desc = (
        "Causes of muscle twitches placed by how urgently to see a doctor"
        f" ({', '.join(c.label for c in columns)}) and how common they are"
        f" ({', '.join(r.label for r in rows)})."
    )
    for (col, row), group in sorted(
        cells.items(), key=lambda kv: (-kv[0][0], -kv[0][1])
    ):
        desc += f" {Urgency(col).label} urgency, {Commonality(row).label.lower()}: "
        desc += (
            ", ".join(
                f"{c.name} ({words})" if (words := _stated_words(c)) else c.name
                for c in group
            )
            + "."
        )
    desc += " Causes not placed are listed below." if unplaced else ""
    note = ""
    if unplaced:
        links = format_html_join(
            ", ",
            '<a href="{}">{}</a>',
            ((c.get_absolute_url(), c.name) for c in unplaced),
        )
        note = format_html(
            '<p class="chart-note">Not placed, because our sources do not state'
            " their commonality or urgency: {}.</p>",
            links,
        )
    caption = "How urgently to see a doctor, and how common each cause is"
    return _figure(id_prefix, caption, desc, (width, y), _join(parts), note)


def _stated_words(cause: Cause) -> str:
    """How common and how urgent, in the sources' words, where they are loaded."""
    if "published_evidence" not in vars(cause):  # not fetched: nothing to quote
        return ""
    parts = []
    for aspect, label in (("commonality", "how common"), ("urgency", "urgency")):
        stated = [item.stated_value for item in cause.stated(aspect)]
        if stated:
            parts.append(f"{label}: " + "; ".join(f"“{w}”" for w in stated))
    return ", ".join(parts)


def food_nutrient_matrix_svg(
    foods: Sequence[FoodSource],
    nutrients: Sequence[Nutrient],
    provides: set[tuple[int, int]],
    *,
    id_prefix: str = "food-matrix",
) -> SafeString:
    """Foods (rows) against nutrients (columns), a dot where one provides the other.

    ``provides`` holds ``(food.pk, nutrient.pk)`` pairs. The height grows with
    the number of foods; long names wrap. Returns an empty string when there are
    no foods or no nutrients.
    """
    if not foods or not nutrients:
        return SafeString("")
    col_w = 34
    names = [_wrap(food.name, 22 * SIZE * EM) for food in foods]
    lengths = [len(n.name) * SIZE * EM for n in nutrients]
    # Headers turn 45° clockwise and end over their column, so they rise up and
    # to the left over the names: nothing sticks out on the right.
    left = max(
        *(len(line.rstrip()) * SIZE * EM + 14 for lines in names for line in lines),
        *(w * SIN45 + 8 - (j + 0.5) * col_w for j, w in enumerate(lengths)),
    )
    right = left + col_w * len(nutrients)
    centres = [left + (j + 0.5) * col_w for j in range(len(nutrients))]
    top = max(lengths) * SIN45 + SIZE + 10

    backs, parts = [], []
    for x, nutrient in zip(centres, nutrients, strict=True):
        ax, ay = x - 4, top - 6
        at = {"x": ax, "y": ay, "transform": f"rotate(45 {_n(ax)} {_n(ay)})"}
        look = {"fill": LINK, "text_anchor": "end", "text_decoration": "underline"}
        text = _el("text", nutrient.name, **at, **look)
        parts.append(_el("a", text, href=nutrient.get_absolute_url()))
    y, count = top, 0
    for i, (food, lines) in enumerate(zip(foods, names, strict=True)):
        row_h = max(26, len(lines) * LINE + 10)
        if i % 2 == 0:
            backs.append(_el("rect", x=0, y=y, width=right, height=row_h, fill=SOFT))
        base = y + (row_h - len(lines) * LINE) / 2 + 12
        parts.append(_link(food.get_absolute_url(), lines, 4, base))
        for x, nutrient in zip(centres, nutrients, strict=True):
            if (food.pk, nutrient.pk) in provides:
                count += 1
                # Food names are singular or plural ("Almonds", "Dairy"): a
                # wording that needs no verb to agree with them.
                title = _el("title", f"{food.name}: a source of {nutrient.name}")
                parts.append(
                    _el("circle", title, cx=x, cy=y + row_h / 2, r=7, fill=DOT)
                )
        y += row_h
    rules = [
        _el("line", x1=x, y1=top, x2=x, y2=y, stroke=RULE)
        for x in (left + j * col_w for j in range(len(nutrients) + 1))
    ]
    desc = (
        f"A grid with a row per food ({len(foods)} in all) and a column per nutrient"
        f" ({', '.join(n.name for n in nutrients)}). A filled circle marks each place"
        f" where a food provides a nutrient ({count} in all)."
    )
    # The chart follows the table on the foods page.
    caption = (
        "Which foods provide which nutrients. The table above lists the same"
        " information."
    )
    body = _join([*backs, *rules, *parts])
    return _figure(id_prefix, caption, desc, (right + 8, y + 2), body, "")
