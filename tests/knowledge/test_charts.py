"""The inline SVG charts: escaped, well-formed, accessible, and scalable.

Unsaved model instances are enough: the charts only read fields and reverse URLs."""

import re
import xml.etree.ElementTree as ET

import pytest

from knowledge.charts import EM, SIZE, cause_matrix_svg, food_nutrient_matrix_svg
from knowledge.models import Cause, Commonality, FoodSource, Nutrient, Urgency

SVG = "{http://www.w3.org/2000/svg}"


XHTML_SVG = re.compile(r"<svg\b.*?</svg>", re.DOTALL)


def svg_of(html: str) -> ET.Element:
    """The ``<svg>`` element of a chart, parsed as XML (so it must be well-formed)."""
    found = XHTML_SVG.findall(html)
    assert len(found) == 1
    return ET.fromstring(found[0])


def text_of(element: ET.Element) -> str:
    return "".join(element.itertext())


def view_box(svg: ET.Element) -> list[float]:
    return [float(v) for v in svg.get("viewBox").split()]


def cause(name: str, commonality=None, urgency=None, slug=None) -> Cause:
    """A cause with the grades its evidence gives it, as the table annotates them."""
    slug = slug or re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "x"
    made = Cause(name=name, slug=slug)
    made.commonality, made.urgency = commonality, urgency
    return made


C, U = Commonality, Urgency


CAUSES = [
    cause("Calcium deficiency", C.COMMON, U.LOW),
    cause("Excessive caffeine", C.COMMON, U.LOW),
    cause("Fatigue and lack of sleep", C.VERY_COMMON, U.LOW),
    cause("Magnesium deficiency", C.COMMON, U.LOW),
    cause("Neurological conditions", C.RARE, U.HIGH),
    cause("Stress and anxiety", C.VERY_COMMON, U.LOW),
    cause("Dehydration"),
    cause("Eye strain", C.COMMON, None),
    cause("Medications", None, U.HIGH),
]


PLACED = [c for c in CAUSES if c.commonality and c.urgency]


UNPLACED = [c for c in CAUSES if not (c.commonality and c.urgency)]


def cell_lists(svg: ET.Element) -> dict[str, list[ET.Element]]:
    """The links in each cell, by the cell's accessible label."""
    return {
        g.get("aria-label"): list(g.iter(f"{SVG}a"))
        for g in svg.iter(f"{SVG}g")
        if g.get("role") == "list"
    }


NUTRIENTS = [
    Nutrient(pk=1, name="Magnesium", slug="magnesium"),
    Nutrient(pk=2, name="Calcium", slug="calcium"),
    Nutrient(pk=3, name="Omega-3 fatty acids", slug="omega-3"),
]


FOODS = [
    FoodSource(pk=1, name="Leafy greens", slug="leafy-greens"),
    FoodSource(pk=2, name="Fatty fish", slug="fatty-fish"),
    FoodSource(pk=3, name="Sunlight exposure", slug="sunlight"),
]


PROVIDES = {(1, 1), (1, 2), (2, 3)}


def test_cause_matrix_is_a_figure_with_caption_and_well_formed_markup():
    html = cause_matrix_svg(CAUSES)
    root = ET.fromstring(html)  # the whole fragment is well-formed XML
    assert root.tag == "figure" and root.get("class") == "chart"
    assert root.find("figcaption").text
    svg = svg_of(html)
    desc = svg.find(f"{SVG}desc")
    assert "Neurological conditions" in desc.text
    assert "(High, Low)" in desc.text
    assert "(Very common, Common, Uncommon, Rare)" in desc.text


def test_each_placed_cause_appears_once_in_its_cell():
    svg = svg_of(cause_matrix_svg(CAUSES))
    lists = cell_lists(svg)
    names = [text_of(a) for links in lists.values() for a in links]
    assert sorted(names) == sorted(c.name for c in PLACED)
    for c in PLACED:
        label = (
            f"{Urgency(c.urgency).label} urgency, "
            f"{Commonality(c.commonality).label.lower()}"
        )
        links = [a for a in lists[label] if text_of(a) == c.name]
        assert len(links) == 1
        assert links[0].get("href") == c.get_absolute_url()


def test_cells_are_laid_out_by_urgency_across_and_commonality_down():
    svg = svg_of(cause_matrix_svg(CAUSES))
    width = view_box(svg)[2]
    columns = list(reversed(Urgency))  # the most urgent first
    rows_y = {}
    for links in cell_lists(svg).values():
        for a in links:
            c = next(c for c in PLACED if c.name == text_of(a))
            x = float(a.find(f"{SVG}text").get("x"))
            column = columns.index(c.urgency)
            share = width / len(columns)
            assert column * share < x < (column + 1) * share
            rows_y.setdefault(c.commonality, []).append(
                float(a.find(f"{SVG}text").get("y"))
            )
    # The most common on top.
    assert max(rows_y[Commonality.VERY_COMMON]) < min(rows_y[Commonality.COMMON])
    assert max(rows_y[Commonality.COMMON]) < min(rows_y[Commonality.RARE])


def test_every_commonality_grade_is_drawn_even_without_causes():
    svg = svg_of(cause_matrix_svg([cause("Only one", C.COMMON, U.LOW)]))
    texts = [text_of(t) for t in svg.iter(f"{SVG}text")]
    for grade in Commonality:
        assert grade.label in texts
    rects = list(svg.iter(f"{SVG}rect"))
    assert len(rects) == len(Commonality) * len(Urgency)


def test_causes_sharing_a_cell_are_stacked_without_overlap():
    svg = svg_of(cause_matrix_svg(CAUSES))
    links = cell_lists(svg)["Low urgency, common"]
    assert len(links) == 3
    tops = [float(a.find(f"{SVG}text").get("y")) for a in links]
    lines = [len(a.findall(f".//{SVG}tspan")) for a in links]
    for (y1, n1), y2 in zip(zip(tops, lines, strict=True), tops[1:], strict=False):
        assert y2 >= y1 + n1 * 16  # each name's lines end before the next begins


def test_long_names_wrap_but_keep_their_words_apart():
    long = cause("Vascular damage from high blood pressure or diabetes", 3, 3)
    svg = svg_of(cause_matrix_svg([long]))
    (a,) = cell_lists(svg)["High urgency, common"]
    assert len(a.findall(f".//{SVG}tspan")) > 1
    assert text_of(a) == long.name  # the accessible name reads as written


def test_causes_without_commonality_or_urgency_are_listed_after_the_chart():
    html = cause_matrix_svg(CAUSES)
    svg = svg_of(html)
    in_svg = {text_of(a) for a in svg.iter(f"{SVG}a")}
    note = ET.fromstring(html).find("p")
    assert text_of(note).startswith(
        "Not placed, because our sources do not state their commonality or urgency:"
    )
    assert [text_of(a) for a in note.iter("a")] == [c.name for c in UNPLACED]
    assert [a.get("href") for a in note.iter("a")] == [
        c.get_absolute_url() for c in UNPLACED
    ]
    assert not in_svg & {c.name for c in UNPLACED}


def test_no_note_when_every_cause_is_placed():
    assert "Not placed" not in cause_matrix_svg(PLACED)


def test_all_unplaced_still_draws_the_empty_grid_and_the_note():
    html = cause_matrix_svg(UNPLACED)
    assert cell_lists(svg_of(html)) == {}
    assert "Not placed" in html


def test_no_causes_gives_an_empty_string():
    assert cause_matrix_svg([]) == ""


@pytest.mark.parametrize("place", [(C.RARE, U.HIGH), (None, None)])
def test_cause_names_are_escaped(place):
    evil = cause("<script>x</script> & co", *place, slug="evil")
    html = cause_matrix_svg([evil, *PLACED])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    root = ET.fromstring(html)
    assert evil.name in [text_of(a) for a in root.iter("a")] + [
        text_of(a) for a in root.iter(f"{SVG}a")
    ]


def test_ids_follow_the_prefix_and_are_referenced():
    one = cause_matrix_svg(CAUSES)
    two = cause_matrix_svg(CAUSES, id_prefix="other-chart")

    def ids(html: str) -> set[str]:
        return set(re.findall(r'\bid="([^"]+)"', html))

    assert ids(one).isdisjoint(ids(two))
    assert all(i.startswith("other-chart") for i in ids(two))
    svg = svg_of(two)
    assert svg.get("aria-labelledby") in ids(two)
    assert svg.get("aria-describedby") in ids(two)


def test_matrix_has_one_titled_circle_per_pair():
    svg = svg_of(food_nutrient_matrix_svg(FOODS, NUTRIENTS, PROVIDES))
    circles = list(svg.iter(f"{SVG}circle"))
    assert len(circles) == len(PROVIDES)
    titles = sorted(c.find(f"{SVG}title").text for c in circles)
    assert titles == [
        "Fatty fish: a source of Omega-3 fatty acids",
        "Leafy greens: a source of Calcium",
        "Leafy greens: a source of Magnesium",
    ]


@pytest.mark.parametrize("food_name", ["Almonds", "Dairy", "Fatty fish"])
def test_matrix_titles_read_well_for_any_food_and_keep_names_as_written(food_name):
    food = FoodSource(pk=1, name=food_name, slug="food")
    b12 = Nutrient(pk=1, name="Vitamin B12", slug="vitamin-b12")
    svg = svg_of(food_nutrient_matrix_svg([food], [b12], {(1, 1)}))
    title = svg.find(f".//{SVG}circle/{SVG}title").text
    assert title == f"{food_name}: a source of Vitamin B12"


def test_matrix_links_foods_and_nutrients():
    svg = svg_of(food_nutrient_matrix_svg(FOODS, NUTRIENTS, PROVIDES))
    links = {text_of(a): a.get("href") for a in svg.iter(f"{SVG}a")}
    for item in [*FOODS, *NUTRIENTS]:
        assert links[item.name] == item.get_absolute_url()


def test_matrix_caption_points_to_the_table_above_it_and_has_a_desc():
    html = food_nutrient_matrix_svg(FOODS, NUTRIENTS, PROVIDES)
    root = ET.fromstring(html)
    # The chart follows the table on the foods page.
    assert "The table above lists the same information." in root.find("figcaption").text
    assert "(3 in all)" in svg_of(html).find(f"{SVG}desc").text


def test_matrix_without_foods_or_nutrients_is_an_empty_string():
    assert food_nutrient_matrix_svg([], NUTRIENTS, set()) == ""
    assert food_nutrient_matrix_svg(FOODS, [], set()) == ""


def test_matrix_names_are_escaped():
    food = FoodSource(pk=9, name="Fish & <chips>", slug="chips")
    html = food_nutrient_matrix_svg([food], NUTRIENTS, {(9, 1)})
    assert "<chips>" not in html
    svg = svg_of(html)
    assert svg.find(f".//{SVG}circle/{SVG}title").text == (
        "Fish & <chips>: a source of Magnesium"
    )


def test_matrix_grows_with_hundreds_of_foods_without_overlap():
    foods = [
        FoodSource(pk=i, name=f"Food number {i}" * (1 + (i % 7 == 0)), slug=f"f{i}")
        for i in range(1, 301)
    ]
    provides = {(f.pk, 1 + f.pk % 3) for f in foods}
    small = svg_of(food_nutrient_matrix_svg(foods[:10], NUTRIENTS, provides))
    big = svg_of(food_nutrient_matrix_svg(foods, NUTRIENTS, provides))
    assert len(list(big.iter(f"{SVG}circle"))) == 300
    assert view_box(big)[3] > 20 * view_box(small)[3]
    # Each food's text starts below where the previous one's last line ended.
    food_texts = [
        a.find(f"{SVG}text")
        for a in big.iter(f"{SVG}a")
        if a.get("href").startswith("/foods/")
    ]
    assert len(food_texts) == 300
    bottom = float("-inf")
    for text in food_texts:
        y = float(text.get("y"))
        assert y - SIZE >= bottom
        bottom = y + 16 * (len(text.findall(f"{SVG}tspan")) - 1)
    assert bottom < view_box(big)[3]


def test_rotated_headers_fit_inside_the_picture():
    nutrients = [
        Nutrient(pk=1, name="Eicosapentaenoic and docosahexaenoic acids", slug="e"),
        Nutrient(pk=2, name="Zinc", slug="zinc"),
    ]
    foods = [FoodSource(pk=1, name="Egg", slug="egg")]
    svg = svg_of(food_nutrient_matrix_svg(foods, nutrients, {(1, 1)}))
    width = view_box(svg)[2]
    for a in svg.iter(f"{SVG}a"):
        text = a.find(f"{SVG}text")
        if "rotate" not in (text.get("transform") or ""):
            continue
        # Turned 45° and ending at (x, y), the text starts up and to the left.
        reach = len(text_of(text)) * SIZE * EM * 0.7071
        x, y = float(text.get("x")), float(text.get("y"))
        assert x - reach >= 0 and y - reach - SIZE >= 0 and x < width


@pytest.mark.parametrize(
    "draw",
    [
        lambda: cause_matrix_svg(CAUSES),
        lambda: food_nutrient_matrix_svg(FOODS, NUTRIENTS, PROVIDES),
    ],
    ids=["causes", "foods"],
)
def test_charts_scale_and_use_no_inline_styles(draw):
    html = draw()
    root = ET.fromstring(html)
    for element in root.iter():
        assert "style" not in element.attrib
        assert not element.tag.endswith("style")
    svg = svg_of(html)
    assert len(view_box(svg)) == 4
    assert svg.get("width") == "100%"
    assert svg.get("height") is None
    # Drawn about as wide as a phone, so its text stays legible when scaled.
    assert view_box(svg)[2] <= 420
    # With links inside, the picture is a labelled group, not an image.
    assert svg.get("role") == "group"
    title = svg.find(f"{SVG}title")
    assert title.get("id") == svg.get("aria-labelledby") and title.text
    assert svg.find(f"{SVG}desc").get("id") == svg.get("aria-describedby")


def test_the_chart_carries_the_sources_words_not_only_the_grades(knowledge_base):
    causes = Cause.objects.with_evidence().with_grades()
    svg = svg_of(cause_matrix_svg(causes))
    desc = svg.find(f"{SVG}desc").text
    assert "“Low (unless other severe symptoms)”" in desc
    titles = [t.text for t in svg.iter(f"{SVG}title")]
    assert any("“Low (unless other severe symptoms)”" in t for t in titles if t)
    assert any("“In rarer cases”" in t for t in titles if t)
