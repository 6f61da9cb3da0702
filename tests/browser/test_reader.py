"""What a reader does in a real browser, on the real knowledge base."""

import csv
import io
import re
from urllib.parse import parse_qs, urlsplit

import pytest
from playwright.sync_api import Page, expect

# The module shares one loaded site, set up before any test opens its transaction.
pytestmark = [pytest.mark.reader, pytest.mark.usefixtures("reader_site")]

# The text of each cell as the exports write it: linked values joined with "; ",
# a header without its screen-reader-only sort hint.
TABLE_JS = """
table => {
  const text = cell => {
    const copy = cell.cloneNode(true);
    copy.querySelectorAll('.visually-hidden').forEach(node => node.remove());
    const links = [...copy.querySelectorAll('a')];
    // A linked value, with the notes that follow it: "(inferred)", "(disputes)".
    const withNotes = a => {
      let text = a.textContent.trim();
      for (let next = a.nextElementSibling; next && next.classList.contains('note');
           next = next.nextElementSibling) {
        text += ' ' + next.textContent.trim();
      }
      return text;
    };
    if (cell.tagName === 'TD' || cell.scope === 'row') {
      if (links.length) return links.map(withNotes).join('; ');
    }
    return copy.textContent.trim();
  };
  const header = [...table.querySelectorAll('thead th')].map(text);
  const rows = [...table.querySelectorAll('tbody tr')].map(
    tr => [...tr.querySelectorAll('th, td')].map(text));
  return [header, ...rows];
}
"""


def row_names(page: Page) -> list[str]:
    """The first cell of each row of the comparison table, in order."""
    return page.locator("table.compare tbody th[scope=row]").all_inner_texts()


def filter_state(page: Page) -> dict[str, list[str]]:
    """The filters the current URL holds, without the empty ones."""
    return parse_qs(urlsplit(page.url).query)


def submit(page: Page, button: str) -> None:
    old_url = page.url
    page.get_by_role("button", name=button).click()
    page.wait_for_url(lambda url: url != old_url)


def test_causes_filtered_by_area(page, visit):
    visit("/causes/")
    page.get_by_label("Where is the twitch?").select_option("eyelid")
    submit(page, "Show causes")

    assert row_names(page) == ["Eye strain", "Magnesium deficiency"]
    expect(page.locator(".result-count")).to_contain_text("2 causes match")
    assert filter_state(page) == {"area": ["eyelid"]}

    # The URL alone brings the same answer back, with the form filled in.
    page.reload()
    assert row_names(page) == ["Eye strain", "Magnesium deficiency"]
    expect(page.get_by_label("Where is the twitch?")).to_have_value("eyelid")


def test_foods_providing_all_chosen_nutrients(page, visit):
    visit("/foods/")
    form = page.locator("form.filters")
    form.get_by_label("Magnesium", exact=True).check()
    form.get_by_label("Calcium", exact=True).check()
    submit(page, "Show foods")

    assert row_names(page) == ["Leafy greens"]
    assert sorted(filter_state(page)["nutrient"]) == ["calcium", "magnesium"]
    expect(form.get_by_label("Magnesium", exact=True)).to_be_checked()
    expect(form.get_by_label("Calcium", exact=True)).to_be_checked()
    expect(form.get_by_label("Vitamin D", exact=True)).not_to_be_checked()


def test_nutrients_for_a_diet_without_javascript(new_context, visit):
    page = new_context(java_script_enabled=False).new_page()
    visit("/nutrients/", on=page)
    page.get_by_label("Has sources for a diet").select_option("vegan")
    submit(page, "Show nutrients")

    # Vitamin D's only sources are animal foods, fortified foods of unclear
    # suitability, and sunlight: none of them is vegan.
    assert row_names(page) == ["Calcium", "Magnesium", "Vitamin B12"]
    assert filter_state(page) == {"diet": ["vegan"]}
    expect(page.get_by_label("Has sources for a diet")).to_have_value("vegan")


def test_twitch_guide_sends_an_urgent_match_to_a_doctor(page, visit):
    visit("/causes/")
    page.get_by_label("Where is the twitch?").select_option("face")
    page.get_by_label("Persistent, widespread spasms").check()
    submit(page, "Show causes")

    assert row_names(page) == ["Neurological conditions"]
    assert filter_state(page) == {
        "area": ["face"],
        "symptom": ["persistent-widespread-spasms"],
    }
    notice = page.get_by_role("alert").filter(has_text="See a doctor")
    expect(notice).to_be_visible()
    expect(notice.get_by_role("heading", name="See a doctor")).to_be_visible()
    # The urgent cause, named; then the sources' own words on when to go, each
    # linked to its passage.
    causes = notice.locator("a[href^='/causes/']")
    expect(causes).to_have_text(["Neurological conditions"])
    quotes = notice.locator("a[href*='#passage-']")
    expect(quotes.first).to_contain_text("persistent")


def test_twitch_guide_without_an_urgent_match_has_no_doctor_notice(page, visit):
    visit("/causes/")
    page.get_by_label("Where is the twitch?").select_option("face")
    page.get_by_label("Cramps").check()
    submit(page, "Show causes")

    assert row_names(page) == ["Calcium deficiency", "Magnesium deficiency"]
    expect(page.locator(".urgent-notice")).to_have_count(0)
    expect(page.get_by_role("heading", name="See a doctor", exact=True)).to_have_count(
        0
    )


def test_csv_export_holds_exactly_the_rows_shown(page, visit):
    visit("/causes/?area=eyelid")
    shown = page.locator("table.compare").evaluate(TABLE_JS)
    exports = page.locator(".exports")
    expect(exports).to_contain_text("Download these 2 rows")

    with page.expect_download() as download_info:
        exports.get_by_role("link", name="CSV").click()
    download = download_info.value
    assert download.suggested_filename == "causes.csv"
    assert parse_qs(urlsplit(download.url).query) == {
        "area": ["eyelid"],
        "format": ["csv"],
    }
    with open(download.path(), encoding="utf-8", newline="") as file:
        exported = list(csv.reader(io.StringIO(file.read())))

    assert exported[0] == [
        "Cause",
        "Urgency",
        "Category (editorial)",
        "Mechanism",
        "Symptoms",
        "Where",
        "Commonality",
        "Recommended action",
        "Nutrient",
        "Sources",
    ]
    assert [row[0] for row in exported[1:]] == ["Eye strain", "Magnesium deficiency"]
    assert exported == shown


def test_from_a_cause_to_its_nutrient_to_a_food(page, visit):
    visit("/causes/")
    page.locator("table.compare").get_by_role(
        "link", name="Magnesium deficiency", exact=True
    ).click()
    expect(page).to_have_url(re.compile(r"/causes/magnesium-deficiency/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Magnesium deficiency")

    page.get_by_role("heading", name="The nutrient: Magnesium").get_by_role(
        "link", name="Magnesium"
    ).click()
    expect(page).to_have_url(re.compile(r"/nutrients/magnesium/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Magnesium")
    expect(page.locator("dl.related")).to_contain_text("Magnesium deficiency")

    page.locator("dl.related").get_by_role("link", name="Leafy greens").click()
    expect(page).to_have_url(re.compile(r"/foods/leafy-greens/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leafy greens")
    provided = page.locator(".nutrient-summary h3")
    expect(provided).to_have_text(["Calcium", "Magnesium"])
    expect(page.get_by_role("link", name="Magnesium deficiency")).to_be_visible()


def test_reading_an_article(page, visit):
    visit("/articles/")
    page.get_by_role("link", name="Understanding the Causes of Muscle Twitches").click()
    expect(page).to_have_url(re.compile(r"/articles/causes-of-muscle-twitches/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Understanding the Causes of Muscle Twitches"
    )

    toc = page.get_by_role("navigation", name="Contents")
    toc.get_by_role("link", name="Comparing Causes of Muscle Twitches").click()
    expect(page).to_have_url(re.compile(r"#comparing-causes-of-muscle-twitches$"))
    target = page.locator(".article-body #comparing-causes-of-muscle-twitches")
    expect(target).to_have_text("Comparing Causes of Muscle Twitches")
    expect(target).to_be_in_viewport()

    table = page.locator(".article-body table")
    expect(table).to_have_count(1)
    expect(table.locator("thead th")).to_contain_text(["Urgency to See Doctor"])
    expect(table.locator("tbody tr").first).to_be_visible()
    assert table.locator("tbody tr").count() > 1

    expect(page.locator(".review-status")).to_contain_text("medically reviewed")
    expect(page.locator(".disclaimer")).to_contain_text("is not medical advice")


def test_tab_reaches_the_skip_link_first(page, visit):
    visit("/causes/")
    skip = page.get_by_role("link", name="Skip to content")
    expect(skip).not_to_be_in_viewport()

    page.keyboard.press("Tab")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    box = skip.bounding_box()
    assert box is not None and box["x"] >= 0 and box["y"] >= 0

    # Following it skips the header: the next Tab lands inside the main content.
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"#content$"))
    page.keyboard.press("Tab")
    assert page.evaluate("document.activeElement.closest('main') !== null")
