"""A loaded article in a real browser: readers see its live copy, and only a
publication changes it; the editors see every change against it.

A medical reviewer finds the article among the live ones never reviewed and
re-certifies it. An author then inserts a claim and gives it a new address: readers
see neither, "Compare versions" shows the claim against what readers see and
against the loaded text, and once the draft is reviewed and published the old
address redirects to the new one.
"""

import re

from playwright.sync_api import expect

from editorial.models import ReviewerProfile
from knowledge.models import Article

from .editors import change_url, expect_message, press, save_and_continue, status_of
from .test_editorial import add_to_body

SLUG = "causes-of-muscle-twitches"
NEW_SLUG = "what-makes-muscles-twitch"
CLAIM = "Magnesium cures every twitch within a day."


def test_a_loaded_article_is_recertified_edited_compared_and_moved(
    site, make_user, browse
):
    author = make_user("author", "Authors")
    reviewer = make_user("reviewer", "Medical reviewers")
    ReviewerProfile.objects.create(
        user=reviewer, name="Dr Ada Reyes", credential="MD, neurologist"
    )
    publisher = make_user("publisher", "Publishers")
    article = Article.objects.get(slug=SLUG)
    reader = browse()
    reader.goto(f"/articles/{SLUG}/")
    review_line = reader.locator("article .review-status")
    expect(review_line).to_contain_text("Not yet medically reviewed")

    # 1. The reviewer finds it waiting and confirms it is still accurate.
    checker = browse(reviewer.username)
    checker.goto("/admin/knowledge/article/waiting/")
    waiting = checker.locator(".module", has_text="Live, never medically reviewed")
    with checker.expect_navigation():
        waiting.get_by_role("link", name=article.title).click()
    press(checker, "Re-certify the live version", comment="Checked against it.")
    expect_message(checker, "success", "is confirmed as still accurate")
    expect(status_of(checker)).to_have_text("Published")
    reader.reload()
    expect(review_line).to_contain_text("Medically reviewed by Dr Ada Reyes")

    # 2. An author inserts a claim and a new address: readers see neither yet.
    writer = browse(author.username)
    writer.goto(change_url(article.pk))
    writer.get_by_label("Slug").fill(NEW_SLUG)
    add_to_body(writer, CLAIM)
    save_and_continue(writer)
    expect_message(writer, "info", "Readers keep seeing the published version")
    reader.reload()
    expect(reader).to_have_url(re.compile(f"/articles/{SLUG}/$"))
    expect(reader.locator(".article-body")).not_to_contain_text(CLAIM)

    # 3. Compare versions shows the claim against the live and the loaded text.
    checker.goto(f"/admin/knowledge/article/{article.pk}/compare/")
    added = checker.locator("pre.diff ins", has_text=CLAIM)
    expect(added).to_have_count(2)
    expect(checker.locator("#content")).to_contain_text(
        "Loaded from the source document"
    )

    # 4. Reviewed and published: the claim is live, and the old address moved.
    press(writer, "Save and send for medical review")
    checker.goto(change_url(article.pk))
    press(checker, "Approve")
    editor_in_chief = browse(publisher.username)
    editor_in_chief.goto(change_url(article.pk))
    press(editor_in_chief, "Publish")
    expect(status_of(editor_in_chief)).to_have_text("Published")
    reader.goto(f"/articles/{SLUG}/")
    expect(reader).to_have_url(re.compile(f"/articles/{NEW_SLUG}/$"))
    expect(reader.locator(".article-body")).to_contain_text(CLAIM)
