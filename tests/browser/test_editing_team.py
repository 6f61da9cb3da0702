"""What the editing team hit, replayed in a real browser: a reviewer who also
writes cannot approve their own text, and saving a live article unchanged keeps it
live.

The other steps of their story have their own browser tests: "Save and send for
medical review" keeps the edit (test_editorial.py), a slug change waits for
publication and then redirects, and a reviewer re-certifies an overdue article
(test_live_copy.py), a schedule is shown and cancelled, and a request for changes
stands at the top of the author's page with its email in the outbox
(test_editorial_feedback.py).
"""

from django.contrib.auth.models import Group
from playwright.sync_api import expect

from knowledge.models import Article

from .editors import change_url, expect_message, press, save_and_continue, status_of
from .test_editorial import add_to_body, forge_transition

SLUG = "nutrients-and-nerves"


def test_a_reviewer_who_wrote_the_text_cannot_approve_it(site, make_user, browse):
    both = make_user("writer-reviewer", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    make_user("colleague", "Authors")
    article = Article.objects.get(slug=SLUG)

    # They edit the article; a colleague presses "Send for medical review".
    own = browse(both.username)
    own.goto(change_url(article.pk))
    add_to_body(own, "Magnesium glycinate is gentle on the stomach.")
    save_and_continue(own)
    colleague = browse("colleague")
    colleague.goto(change_url(article.pk))
    press(colleague, "Save and send for medical review")
    expect(status_of(colleague)).to_have_text("In review")

    # Their change page offers no approval, and says why.
    own.goto(change_url(article.pk))
    expect(own.get_by_role("button", name="Approve", exact=True)).to_have_count(0)
    expect(own.locator(".workflow")).to_contain_text(
        "You cannot approve this version: you edited it"
    )
    # A forged approval is refused with the same reason, and nothing changes.
    forge_transition(own, article.pk, "approve")
    expect_message(own, "error", "you edited it")
    expect(status_of(own)).to_have_text("In review")
    article.refresh_from_db()
    assert article.status == Article.Status.IN_REVIEW


def test_saving_a_live_article_unchanged_keeps_it_live(site, make_user, browse):
    make_user("author", "Authors")
    article = Article.objects.get(slug=SLUG)
    assert article.status == Article.Status.PUBLISHED

    page = browse("author")
    page.goto(change_url(article.pk))
    save_and_continue(page)

    expect(status_of(page)).to_have_text("Published")
    expect(page.locator(".messagelist")).not_to_contain_text("new draft")
    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.history.count() == 1  # the loaded text, and no new version
