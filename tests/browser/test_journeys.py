"""A worried reader's journeys, on a phone, through the real knowledge base.

A reader with a twitch comes for three things: what might cause it, whether to see a
doctor, and what to eat. These tests walk those journeys in Chromium at 375 px, as a
reader would: by the links on the page, never by typing a URL after the first.
"""

import re

import pytest
from playwright.sync_api import Page, expect

# The module shares one loaded site, set up before any test opens its transaction.
pytestmark = [pytest.mark.reader, pytest.mark.usefixtures("reader_site")]

PHONE = {"width": 375, "height": 740}
# What every source says of every twitch, the first clause of the general guidance.
GENERAL_GUIDANCE = (
    "If the twitching is persistent, severe, or accompanied by other neurological "
    "symptoms, it is essential to see a healthcare professional."
)


def within_the_window(page: Page) -> None:
    """Nothing on the page reaches past the phone's screen."""
    widths = page.evaluate(
        "() => [document.documentElement.scrollWidth, window.innerWidth]"
    )
    assert widths[0] <= widths[1], f"{page.url} is {widths[0]} px wide"


def test_eyelid_twitch_to_causes_to_a_doctor_to_what_to_eat(page, visit):
    page.set_viewport_size(PHONE)
    visit("/")

    # One tap from the home page: where the reader feels it.
    places = page.get_by_role("region", name="Where do you feel it?")
    places.get_by_role("link", name="Eyelid twitching").click()
    expect(page).to_have_url(re.compile(r"/conditions/eyelid-twitching/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Eyelid twitching")
    within_the_window(page)

    # The likely causes, the ones the sources tie to the eyelid first, most common
    # first; then the face-wide causes, said to be the face's, not the eyelid's.
    causes = page.get_by_role("region", name="What might cause it")
    rows = causes.locator(".cause-rows").first.locator("> li > a")
    expect(rows).to_have_text(["Magnesium deficiency", "Eye strain"])
    expect(causes.locator(".cause-rows").first).to_contain_text(
        "Low (unless other severe symptoms)"
    )
    expect(causes).to_contain_text("not to the eyelid by name")
    face_wide = causes.locator(".cause-rows").nth(1).locator("> li > a")
    expect(face_wide.first).to_have_text("Fatigue and lack of sleep")
    expect(face_wide).to_contain_text(["Stress and anxiety", "Excessive caffeine"])

    # When to see a doctor, on the same page, in the sources' words, with the red
    # flags set apart. It never says "not stated".
    card = page.get_by_role("region", name="When to see a doctor")
    expect(card).to_be_visible()
    expect(card).to_contain_text(GENERAL_GUIDANCE)
    flags = card.get_by_role("heading", name="Red flags")
    expect(flags).to_be_visible()
    expect(card.locator(".red-flags li")).to_contain_text(
        ["Persistent, widespread spasms", "seizures"]
    )
    expect(card).not_to_contain_text("Not stated")
    box = card.bounding_box()
    assert box is not None and box["width"] <= PHONE["width"]

    # Each piece of guidance leads to its passage, highlighted in its article.
    card.get_by_role("link", name=GENERAL_GUIDANCE).click()
    expect(page).to_have_url(re.compile(r"/articles/causes-of-muscle-twitches/#"))
    target = page.locator(":target")
    expect(target).to_be_in_viewport()
    expect(target).to_contain_text("it is essential to see a healthcare professional")
    page.go_back()

    # What to eat: the nutrient, then the foods the sources name for it.
    eat = page.get_by_role("region", name="What to eat")
    expect(eat.locator("dt")).to_contain_text(["Calcium", "Magnesium", "Vitamin B12"])
    eat.get_by_role("link", name="Magnesium", exact=True).click()
    expect(page).to_have_url(re.compile(r"/nutrients/magnesium/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Magnesium")
    within_the_window(page)
    expect(page.get_by_role("region", name="When to see a doctor")).to_be_visible()
    page.locator("dl.related").get_by_role("link", name="Leafy greens").click()
    expect(page).to_have_url(re.compile(r"/foods/leafy-greens/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Leafy greens")
    within_the_window(page)


def test_a_cause_page_answers_whether_to_see_a_doctor_before_the_passages(page, visit):
    page.set_viewport_size(PHONE)
    visit("/conditions/eyelid-twitching/")
    page.get_by_role("link", name="Eye strain", exact=True).click()
    expect(page).to_have_url(re.compile(r"/causes/eye-strain/$"))
    within_the_window(page)

    # The gaps in one sentence, not a column of "Not stated" blocks.
    expect(page.locator(".not-stated")).not_to_have_count(0)
    assert page.get_by_text("Not stated", exact=True).count() <= 1

    card = page.get_by_role("region", name="When to see a doctor")
    expect(card).to_contain_text(GENERAL_GUIDANCE)
    passages = page.get_by_role("heading", name="Every passage, in full")
    card_top = card.bounding_box()["y"]
    assert passages.count() == 0 or card_top < passages.bounding_box()["y"]


def test_a_search_the_sources_do_not_cover(page, visit):
    page.set_viewport_size(PHONE)
    visit("/")
    # The header's search, opened as a reader on a phone would find it.
    search = page.get_by_role("search").first
    field = search.get_by_role("searchbox")
    if not field.is_visible():
        search.get_by_role("button").first.click()
    field.fill("ALS")
    field.press("Enter")
    expect(page).to_have_url(re.compile(r"/search/\?q=ALS"))
    within_the_window(page)

    # Said plainly, never "corrected" into "also", never dressed up with hits.
    status = page.get_by_role("status")
    expect(status).to_contain_text("Our sources do not cover")
    expect(status).to_contain_text("ALS")
    expect(page.locator(".search-results")).to_have_count(0)
    expect(page.get_by_text("Did you mean")).to_have_count(0)

    # The general guidance instead, in the sources' words.
    card = page.get_by_role("region", name="When to see a doctor")
    expect(card).to_contain_text(GENERAL_GUIDANCE)
    expect(card.get_by_role("heading", name="Red flags")).to_be_visible()

    # And a way back into what the sources do cover.
    page.get_by_role("link", name="causes of twitching").click()
    expect(page).to_have_url(re.compile(r"/causes/$"))
