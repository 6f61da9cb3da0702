"""A new source document's facts, from an author's annotations to the public site.

An author adds a fifth document (tests/data/documents/night-shifts.txt), annotates a
new cause with its urgency, a new food for magnesium, and a passage that disputes
what the site says of caffeine. Readers see none of it until a medical reviewer has
approved the proposal and a publisher has published it; then every page, table,
export and search shows the new facts, each quote linked to its highlighted passage.
"""

import csv
import io
import json
import re
from pathlib import Path

from playwright.sync_api import Page, expect

from editorial.models import ReviewerProfile
from knowledge.models import Article, SourceDocument

from .editors import change_url, expect_message, press

DOCUMENT = (
    Path(__file__).resolve().parent.parent / "data" / "documents" / "night-shifts.txt"
)
TITLE = "Night Shifts and Muscle Twitches"
CAUSE = "Night-shift sleep debt"
URGENCY = "Low (unless twitching lasts more than two weeks)"
FOOD_SENTENCE = "Pumpkin seeds are a rich source of magnesium."
DISPUTE = "Caffeine rarely causes muscle twitches on its own."


def annotate_url(document: SourceDocument) -> str:
    return f"/admin/editorial/proposal/annotate/?document={document.pk}"


def find_and_quote(page: Page, words: str, *, as_value: bool) -> None:
    page.get_by_label("Find words in the document").fill(words)
    page.get_by_role("button", name="Find").click()
    link = (
        "Quote its sentence, with these words as the value"
        if as_value
        else "Quote its sentence"
    )
    page.get_by_role("link", name=link, exact=True).first.click()


def select_in_text(page: Page, words: str) -> None:
    """Select words in the document's text with the mouse, as an editor would."""
    box = page.locator("#document-text")
    box.scroll_into_view_if_needed()
    page.evaluate(
        """words => {
          const box = document.getElementById("document-text");
          const walker = document.createTreeWalker(box, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(words);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + words.length);
            const selection = window.getSelection();
            selection.removeAllRanges();
            selection.addRange(range);
            box.dispatchEvent(new MouseEvent("mouseup", { bubbles: true }));
            return;
          }
          throw new Error("not in the text: " + words);
        }""",
        words,
    )


def add_to_proposal(page: Page) -> None:
    with page.expect_navigation():
        page.get_by_role("button", name="Add to my proposal").click()
    expect_message(page, "success", "The quote is in your draft proposal")


def public_state(reader: Page) -> dict[str, str]:
    """What a reader sees where the new facts would show."""
    pages = {
        "causes": "/causes/",
        "foods": "/foods/",
        "magnesium": "/nutrients/magnesium/",
        "caffeine": "/causes/excessive-caffeine/",
        "search": "/search/?q=night+shift+sleep+debt",
        "causes.csv": "/causes/?format=csv",
        "foods.json": "/foods/?format=json",
    }
    seen = {}
    for name, path in pages.items():
        response = reader.request.get(path)
        assert response.status == 200, (path, response.status)
        seen[name] = response.text()
    return seen


def test_a_new_documents_facts_reach_readers_only_once_reviewed_and_published(
    site, make_user, browse
):
    author = make_user("author", "Authors")
    reviewer = make_user("reviewer", "Medical reviewers")
    ReviewerProfile.objects.create(
        user=reviewer, name="Dr Ada Reyes", credential="MD, neurologist"
    )
    publisher = make_user("publisher", "Publishers")
    reader = browse()
    before = public_state(reader)
    for text in before.values():
        assert CAUSE not in text and "Pumpkin seeds" not in text

    # 1. The author uploads the document; its article is a draft.
    writer = browse(author.username)
    writer.goto("/admin/knowledge/sourcedocument/add/")
    writer.locator("#id_upload").set_input_files(DOCUMENT)
    writer.locator("#id_title").fill(TITLE)
    writer.locator("#id_title_is_first_line").check()
    with writer.expect_navigation():
        writer.get_by_role("button", name="Save", exact=True).click()
    expect_message(writer, "info", "is a draft")
    document = SourceDocument.objects.get(title=TITLE)
    article = document.article
    assert article.status == Article.Status.DRAFT

    # 2. The author annotates: a new cause with its urgency, found by its words...
    writer.goto(annotate_url(document))
    find_and_quote(writer, URGENCY, as_value=True)
    expect(writer.locator("#id_passage")).to_have_value(
        f"Urgency to see a doctor: {URGENCY}."
    )
    expect(writer.locator("#id_value")).to_have_value(URGENCY)
    writer.get_by_label("A new cause").check()
    writer.locator("#id_new_cause_name").fill(CAUSE)
    writer.locator("#id_new_cause_category").select_option("lifestyle")
    writer.locator("#id_aspect").select_option("urgency")
    add_to_proposal(writer)

    # ...a new food for magnesium, selected in the text with the mouse...
    select_in_text(writer, FOOD_SENTENCE)
    expect(writer.locator("#id_passage")).to_have_value(FOOD_SENTENCE)
    writer.get_by_label("A nutrient").check()
    writer.locator("#id_nutrient").select_option(label="Magnesium")
    writer.locator("#id_aspect").select_option("food_sources")
    writer.locator("#id_new_food_name").fill("Pumpkin seeds")
    writer.locator("#id_new_food_category").select_option("nuts_seeds")
    writer.locator("#id_new_food_diet").select_option("vegan")
    writer.locator("#id_food_words").fill("Pumpkin seeds")
    add_to_proposal(writer)

    # ...and a passage that disputes what the site says of caffeine.
    find_and_quote(writer, "Caffeine rarely", as_value=False)
    expect(writer.locator("#id_passage")).to_have_value(DISPUTE)
    writer.get_by_label("A cause", exact=True).check()
    writer.locator("#id_cause").select_option(label="Excessive caffeine")
    writer.locator("#id_aspect").select_option("link")
    writer.locator("#id_stance").select_option("disputes")
    add_to_proposal(writer)

    # 3. The public site has not changed.
    assert public_state(reader) == before
    assert reader.request.get(article.get_absolute_url()).status == 404

    # 4. The author sends the article and the proposal for review.
    writer.goto(change_url(article.pk))
    press(writer, "Save and send for medical review")
    writer.goto("/admin/editorial/proposal/mine/")
    proposal_url = writer.url
    expect(writer.locator(".warning-note")).to_contain_text(TITLE)
    press(writer, "Send for medical review")
    expect(writer.locator(".proposal-status")).to_contain_text("In review")
    assert public_state(reader) == before

    # The reviewer sees the difference, the passage in its document, and approves.
    checker = browse(reviewer.username)
    checker.goto(proposal_url)
    changes = checker.locator(".proposed-change")
    expect(changes.filter(has_text=f"Add cause: {CAUSE}")).to_have_count(1)
    urgency = changes.filter(
        has=checker.locator("h3", has_text="Add evidence: Urgency to see a doctor")
    )
    expect(urgency.locator(".passage-in-context mark")).to_have_text(
        f"Urgency to see a doctor: {URGENCY}."
    )
    expect(urgency.locator("ins").first).to_be_visible()
    expect(changes.filter(has_text="Pumpkin seeds")).not_to_have_count(0)
    expect(changes.locator("ins", has_text="Disputes")).to_have_count(1)
    press(checker, "Approve")
    expect(checker.locator(".proposal-status")).to_contain_text("Approved")
    checker.goto(change_url(article.pk))
    press(checker, "Approve")
    assert public_state(reader) == before

    # 5. The publisher publishes the article and the proposal.
    editor_in_chief = browse(publisher.username)
    editor_in_chief.goto(change_url(article.pk))
    press(editor_in_chief, "Publish")
    editor_in_chief.goto(proposal_url)
    press(editor_in_chief, "Publish")
    expect_message(editor_in_chief, "success", "is now published")

    # Pages, tables, exports and search show the new facts.
    after = public_state(reader)
    assert CAUSE in after["causes"] and URGENCY in after["causes"]
    assert "Pumpkin seeds" in after["foods"] and "Pumpkin seeds" in after["magnesium"]
    assert DISPUTE in after["caffeine"], "the disputing passage is not shown"
    assert "stance-disputes" in after["caffeine"]
    assert CAUSE in after["search"]
    rows = list(csv.DictReader(io.StringIO(after["causes.csv"])))
    row = next(row for row in rows if row["Cause"] == CAUSE)
    assert URGENCY in " ".join(row.values())
    foods = json.loads(after["foods.json"])
    assert "Pumpkin seeds" in json.dumps(foods)

    # Each quote links to its passage, highlighted on the reproduced article.
    reader.goto("/causes/night-shift-sleep-debt/")
    expect(reader.get_by_role("heading", level=1)).to_have_text(CAUSE)
    reader.get_by_role("link", name=URGENCY).first.click()
    expect(reader).to_have_url(
        re.compile(r"/articles/night-shifts-and-muscle-twitches/#passage-\d+-\d+$")
    )
    target = reader.locator("mark.passage:target")
    expect(target).to_have_text(f"Urgency to see a doctor: {URGENCY}.")
    background = target.evaluate("mark => getComputedStyle(mark).backgroundColor")
    assert background not in ("rgba(0, 0, 0, 0)", "transparent")

    reader.goto("/causes/excessive-caffeine/")
    reader.locator(
        'a[href*="night-shifts-and-muscle-twitches/#passage-"]'
    ).first.click()
    expect(reader.locator("mark.passage:target")).to_have_text(DISPUTE)
