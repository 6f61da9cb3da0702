"""The comparison tables in Chromium: cards on a phone, a table on a wide screen,
every column in print, and filters that leave keyboard focus on the results."""

import re
from urllib.parse import parse_qs, urlsplit

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import Page, expect

from knowledge.tables.red_flags import RED_FLAG_SYMPTOMS

# The module shares one loaded site, set up before any test opens its transaction.
pytestmark = [pytest.mark.reader, pytest.mark.usefixtures("reader_site")]

PHONE = {"width": 375, "height": 812}
DESKTOP = {"width": 1280, "height": 900}
# An A4 page's width less 12 mm margins each side, in CSS pixels (96 to the inch).
A4_PRINTED_WIDTH = round((210 - 2 * 12) / 25.4 * 96)

# (path, the label of each column after the first, in order)
TABLES = [
    (
        "/causes/",
        [
            "Urgency",
            "Category (editorial)",
            "Mechanism",
            "Symptoms",
            "Where",
            "Commonality",
            "Recommended action",
            "Nutrient",
            "Sources",
        ],
    ),
    (
        "/nutrients/",
        [
            "Kind (editorial)",
            "Deficiency term",
            "Role in nerve and muscle function",
            "Food sources",
            "Causes",
            "Sources",
        ],
    ),
    ("/foods/", ["Category (editorial)", "Nutrients", "Diet (editorial)"]),
]

# How each row of the table is laid out: its box, and each cell's box and label as
# shown (a narrow screen writes the label before the value).
ROWS_JS = """
table => [...table.querySelectorAll('tbody tr')].map(tr => {
  const box = el => {
    const r = el.getBoundingClientRect();
    return {left: r.left, right: r.right, top: r.top, bottom: r.bottom};
  };
  return {
    display: getComputedStyle(tr).display,
    box: box(tr),
    cells: [...tr.children].map(cell => ({
      tag: cell.tagName.toLowerCase(),
      box: box(cell),
      label: cell.dataset.label || null,
      shown: getComputedStyle(cell, '::before').content,
    })),
  };
})
"""

# How wide the page, the table and its scrolling wrapper are.
WIDTHS_JS = """
() => {
  const table = document.querySelector('table.compare');
  const wrap = table.closest('.table-wrap');
  return {
    page: document.documentElement.scrollWidth,
    window: window.innerWidth,
    table: table.getBoundingClientRect().right,
    wrap: wrap.scrollWidth - wrap.clientWidth,
    headers: [...table.querySelectorAll('thead th')].map(th => {
      const r = th.getBoundingClientRect();
      return {text: th.textContent.trim(), right: r.right, width: r.width};
    }),
  };
}
"""


def table_ids():
    return [path.strip("/") for path, _labels in TABLES]


def roles(page: Page) -> dict[str, int]:
    """How many of each table role Chromium's accessibility tree holds."""
    session = page.context.new_cdp_session(page)
    nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    counts: dict[str, int] = {}
    for node in nodes:
        role = node.get("role", {}).get("value")
        if not node.get("ignored") and role in {
            "table",
            "columnheader",
            "rowheader",
            "cell",
        }:
            counts[role] = counts.get(role, 0) + 1
    return counts


@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_nothing_overflows_sideways_on_a_phone(page, visit, path, labels):
    page.set_viewport_size(PHONE)
    visit(path)
    widths = page.evaluate(WIDTHS_JS)
    assert widths["page"] <= widths["window"], widths
    assert widths["table"] <= widths["window"], widths
    assert widths["wrap"] == 0, "the table scrolls sideways in its wrapper"


@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_each_row_is_a_card_with_the_name_first_on_a_phone(page, visit, path, labels):
    page.set_viewport_size(PHONE)
    visit(path)
    rows = page.locator("table.compare").evaluate(ROWS_JS)
    assert len(rows) > 3
    for row in rows:
        assert row["display"] == "block"
        name, *cells = row["cells"]
        assert name["tag"] == "th"
        # One cell under another, the name on top, each within the card.
        tops = [cell["box"]["top"] for cell in row["cells"]]
        assert tops == sorted(tops) and len(set(tops)) == len(tops)
        for cell in row["cells"]:
            assert row["box"]["left"] <= cell["box"]["left"]
            assert cell["box"]["right"] <= row["box"]["right"]
        # Each value under its column's label, shown but not read out twice.
        assert [cell["label"] for cell in cells] == labels
        assert [cell["shown"] for cell in cells] == [
            f'"{label}" / ""' for label in labels
        ]


def test_a_cause_card_gives_the_urgency_straight_after_the_name(page, visit):
    page.set_viewport_size(PHONE)
    visit("/causes/")
    card = page.locator("table.compare tbody tr").filter(
        has=page.get_by_role("rowheader", name="Neurological conditions")
    )
    name, urgency = card.locator("th, td").nth(0), card.locator("th, td").nth(1)
    expect(name).to_have_text("Neurological conditions")
    # The source's words, whole: not only the grade.
    expect(urgency).to_have_text("High (requires medical evaluation)")
    assert urgency.get_attribute("data-label") == "Urgency"
    name_box, urgency_box = name.bounding_box(), urgency.bounding_box()
    assert name_box["y"] < urgency_box["y"] < name_box["y"] + 3 * name_box["height"]


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_every_cell_keeps_its_header_for_a_screen_reader(
    page, visit, path, labels, viewport
):
    page.set_viewport_size(viewport)
    visit(path)
    rows = page.locator("table.compare tbody tr").count()
    assert roles(page) == {
        "table": 1,
        "columnheader": 1 + len(labels),
        "rowheader": rows,
        "cell": rows * len(labels),
    }
    headers = page.locator("table.compare thead th")
    expect(headers).to_have_count(1 + len(labels))
    for header, label in zip(headers.all()[1:], labels, strict=True):
        expect(header).to_contain_text(label.removesuffix(" (editorial)"))


@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_a_wide_screen_shows_a_table_with_its_header_row(page, visit, path, labels):
    page.set_viewport_size(DESKTOP)
    visit(path)
    table = page.locator("table.compare")
    assert table.evaluate("t => getComputedStyle(t).display") == "table"
    expect(table.locator("thead th").first).to_be_visible()
    rows = table.evaluate(ROWS_JS)
    for row in rows:
        assert row["display"] == "table-row"
        # One row, side by side, with no labels written into the cells.
        assert len({round(cell["box"]["top"]) for cell in row["cells"]}) == 1
        assert {cell["shown"] for cell in row["cells"]} == {"none"}


@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_printing_keeps_every_column_on_an_a4_page(page, visit, path, labels):
    page.set_viewport_size({"width": A4_PRINTED_WIDTH, "height": 1100})
    page.emulate_media(media="print")
    visit(path)
    widths = page.evaluate(WIDTHS_JS)
    assert [header["text"] for header in widths["headers"]][-1].startswith(
        labels[-1].removesuffix(" (editorial)")
    )
    for header in widths["headers"]:
        assert header["width"] > 0, header
        assert header["right"] <= A4_PRINTED_WIDTH, header
    assert widths["page"] <= A4_PRINTED_WIDTH


def tab_to(page: Page, name: str, limit: int = 80) -> None:
    """Press Tab until the control with this accessible name has focus."""
    target = page.get_by_role("button", name=name)
    for _ in range(limit):
        if target.evaluate("el => el === document.activeElement"):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {name!r}")


def expect_focus_on_the_results(page: Page) -> None:
    expect(page).to_have_url(re.compile(r"#results$"))
    results = page.locator("#results")
    expect(results).to_be_focused()
    expect(results).to_be_in_viewport()
    # The results are named by their count, which a screen reader reads out.
    label = page.locator("#result-count")
    assert results.get_attribute("aria-labelledby") == "result-count"
    expect(label).to_have_text(re.compile(r"^\d+ \w+"))


@pytest.mark.parametrize("viewport", [PHONE, DESKTOP], ids=["375px", "1280px"])
def test_choosing_symptoms_with_the_keyboard_leaves_focus_on_the_results(
    page, visit, viewport
):
    page.set_viewport_size(viewport)
    visit("/causes/")
    page.get_by_label("Tingling").focus()
    page.keyboard.press("Space")
    tab_to(page, "Show causes")
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect_focus_on_the_results(page)
    expect(page.locator("#result-count")).to_have_text(
        re.compile(r"^\d+ causes match your filters$")
    )
    expect(page.get_by_label("Tingling")).to_be_checked()
    # The next Tab goes on into the results, not back to the top of the page.
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('#results') !== null")


@pytest.mark.parametrize(
    ("path", "field", "button"),
    [
        ("/nutrients/", "Kind", "Show nutrients"),
        ("/foods/", "Category", "Show foods"),
    ],
)
def test_filtering_by_a_menu_with_the_keyboard_leaves_focus_on_the_results(
    page, visit, path, field, button
):
    page.set_viewport_size(PHONE)
    visit(path)
    page.get_by_role("combobox", name=field).focus()
    page.keyboard.press("ArrowDown")
    tab_to(page, button)
    with page.expect_navigation():
        page.keyboard.press("Enter")

    expect_focus_on_the_results(page)
    assert re.search(r"[?&]\w+=[^&#]+", page.url)


def test_the_red_flags_are_apart_and_marked_as_our_classification(page, visit):
    visit("/causes/")
    symptoms = page.get_by_role("group", name="What else do you notice?")
    expect(symptoms).to_contain_text("Tick any that apply.")
    red_flags = symptoms.get_by_role("group", name=re.compile("^Red flags"))
    expect(red_flags.get_by_role("checkbox")).to_have_count(len(RED_FLAG_SYMPTOMS))
    expect(red_flags.get_by_label("Seizures")).to_be_visible()
    expect(red_flags.get_by_label("Cramps")).to_have_count(0)
    policy = red_flags.get_by_role("link", name="(editorial)")
    assert policy.get_attribute("href") == "/about/#editorial-policy"
    others = symptoms.get_by_role("group", name="Other symptoms")
    expect(others.get_by_label("Cramps")).to_be_visible()


@pytest.mark.parametrize(("path", "labels"), TABLES, ids=table_ids())
def test_on_a_phone_a_link_skips_the_filters_to_the_rows(page, visit, path, labels):
    page.set_viewport_size(PHONE)
    visit(path)
    skip = page.get_by_role("link", name=re.compile(r"^Skip the filters: \d+ "))
    expect(skip).to_be_visible()
    skip.click()
    expect(page.locator("#results")).to_be_in_viewport()
    expect(page.locator("table.compare tbody tr").first).to_be_in_viewport()

    # A wide screen shows the rows beside little enough filter to need no link.
    page.set_viewport_size(DESKTOP)
    expect(skip).to_be_hidden()


# -- long lists of foods, causes and nutrients: text fields that suggest names ---------
# The knowledge base has 21 foods, 17 causes and 6 nutrients: with the limit at 5,
# each of those filters is a text field.
SHORT_LIMIT = 5


def submit_filters(page: Page, button: str) -> None:
    old_url = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: url != old_url)


def row_names(page: Page) -> list[str]:
    return page.locator("table.compare tbody th[scope=row]").all_inner_texts()


def test_a_reader_picks_a_suggested_food_to_filter_the_nutrients(page, visit, settings):
    settings.TABLE_CHOICE_LIMIT = SHORT_LIMIT
    asked = []
    page.on(
        "request",
        lambda request: (
            asked.append(parse_qs(urlsplit(request.url).query)["q"][0])
            if "/suggest/" in request.url
            else None
        ),
    )
    visit("/nutrients/")
    field = page.get_by_role("combobox", name="Found in")
    expect(field).to_have_attribute("type", "search")
    field.press_sequentially("tional y", delay=30)

    # Part of a name: the suggestions hold the one food whose name contains it.
    suggestions = page.locator(f"#{field.get_attribute('list')} option")
    expect(suggestions).to_have_count(1)
    suggested = suggestions.first.get_attribute("value")
    assert suggested == "Nutritional yeast"
    # Asked once typing paused, not once a letter, and for what was typed.
    assert 1 <= len(asked) < len("tional y")
    assert asked[-1] == "tional y"
    # Headless Chromium draws no datalist popup to click; picking a suggestion sets
    # the field to it, as fill() does.
    field.fill(suggested)
    submit_filters(page, "Show nutrients")

    assert row_names(page) == ["Vitamin B12"]
    assert parse_qs(urlsplit(page.url).query)["food"] == ["Nutritional yeast"]
    expect(page.get_by_role("combobox", name="Found in")).to_have_value(
        "Nutritional yeast"
    )
    expect_focus_on_the_results(page)
    # A picked suggestion is not looked up again.
    assert asked[-1] == "tional y"


def test_without_javascript_a_reader_adds_nutrients_by_typing_their_names(
    new_context, visit, settings, csp_watch
):
    settings.TABLE_CHOICE_LIMIT = SHORT_LIMIT
    page = new_context(java_script_enabled=False).new_page()
    csp_watch(page)
    visit("/foods/", on=page)
    form = page.locator("form.filters")
    expect(form.get_by_role("checkbox")).to_have_count(0)
    page.get_by_label("Add a nutrient").fill("vitamin d")
    submit_filters(page, "Show foods")

    assert row_names(page) == [
        "Egg yolks",
        "Fatty fish",
        "Fortified cereals",
        "Fortified foods",
        "Fortified milk",
        "Sunlight exposure",
    ]
    # The nutrient is now a ticked box, and the text field is empty again.
    expect(form.get_by_role("checkbox")).to_have_count(1)
    expect(form.get_by_role("checkbox", name="Vitamin D")).to_be_checked()
    expect(page.get_by_label("Add a nutrient")).to_have_value("")

    page.get_by_label("Add a nutrient").fill("Vitamin B12")
    submit_filters(page, "Show foods")
    assert row_names(page) == ["Fortified cereals"]
    expect(form.get_by_role("checkbox", name="Vitamin D")).to_be_checked()
    expect(form.get_by_role("checkbox", name="Vitamin B12")).to_be_checked()

    # Unticking a box drops its nutrient.
    form.get_by_role("checkbox", name="Vitamin B12").uncheck()
    submit_filters(page, "Show foods")
    assert len(row_names(page)) == 6

    # A name that is no nutrient's is pointed out, with what was typed kept.
    page.get_by_label("Add a nutrient").fill("Vitamin Q")
    submit_filters(page, "Show foods")
    expect(form).to_contain_text("No nutrient called “Vitamin Q”. Check the spelling.")
    expect(page.get_by_label("Add a nutrient")).to_have_value("Vitamin Q")


@pytest.mark.parametrize(
    ("path", "status"),
    [
        ("/nutrients/?food=fortified-milk&cause=Vitamin+D+deficiency", 200),
        ("/foods/?nutrient=magnesium&nutrient=", 200),
        ("/causes/?nutrient=Iron", 400),
    ],
    ids=["nutrients", "foods", "causes-unknown"],
)
def test_text_fields_for_long_lists_pass_axe(page, visit, settings, path, status):
    settings.TABLE_CHOICE_LIMIT = SHORT_LIMIT
    visit(path, status=status)
    expect(page.locator("form.filters input[list]").first).to_be_visible()
    violations = Axe().run(page).response["violations"]
    assert violations == [], [v["id"] for v in violations]
