"""What an editor sees of the workflow in a real browser: a reviewer's request for
changes waiting for its author, and a publication scheduled and cancelled."""

from django.core import mail
from playwright.sync_api import expect

from editorial.services import article_transition
from knowledge.models import Article

from .editors import change_url, expect_message, press

TITLE = "Night-time calf cramps"
COMMENT = "Please say where the magnesium figure comes from."


def test_changes_requested_wait_for_the_author_until_sent_again(make_user, browse):
    author = make_user("author", "Authors")
    author.email = "author@example.org"
    author.save()
    reviewer = make_user("reviewer", "Medical reviewers")
    article = Article(title=TITLE, slug="calf-cramps", body="Magnesium helps.")
    article._history_user = author
    article.save()
    article_transition(article=article, user=author, action="submit")

    checker = browse(reviewer.username)
    checker.goto(change_url(article.pk))
    press(checker, "Request changes", comment=COMMENT)
    expect_message(checker, "success", f"“{TITLE}” is now draft.")
    assert [message.to for message in mail.outbox] == [["author@example.org"]]
    assert COMMENT in mail.outbox[0].body

    # The author finds it in their queue, from the admin's home page.
    writer = browse(author.username)
    writer.get_by_role("link", name="Waiting for you").first.click()
    sent_back = writer.locator(".module", has_text="Changes requested on your")
    expect(sent_back).to_contain_text(TITLE)
    expect(sent_back).to_contain_text(COMMENT)
    sent_back.get_by_role("link", name=TITLE).click()
    notice = writer.locator(".change-requests")
    expect(notice).to_contain_text("Changes requested by reviewer on ")
    expect(notice).to_contain_text(COMMENT)

    press(writer, "Save and send for medical review")
    expect_message(writer, "success", f"“{TITLE}” is now in review.")
    expect(writer.locator(".change-requests")).to_have_count(0)
    log = writer.locator("#transitions-group")
    expect(log).to_contain_text("Changes requested")
    expect(log).to_contain_text("In review → Draft")
    expect(log).not_to_contain_text("request_changes")


def test_a_publisher_schedules_a_publication_then_cancels_it(make_user, browse):
    author = make_user("author", "Authors")
    reviewer = make_user("reviewer", "Medical reviewers")
    publisher = make_user("publisher", "Publishers")
    article = Article.objects.create(title=TITLE, slug="calf-cramps", body="Text.")
    article_transition(article=article, user=author, action="submit")
    article_transition(article=article, user=reviewer, action="approve")

    page = browse(publisher.username)
    page.goto(change_url(article.pk))
    when = page.get_by_label("Publish at, UTC time")
    when.fill("2099-05-01T14:30")
    press(page, "Publish")
    expect_message(page, "success", f"“{TITLE}” is now approved.")
    scheduled = "scheduled: goes live on 1 May 2099, 14:30 UTC"
    expect(page.locator(".field-publication .readonly")).to_contain_text(scheduled)

    page.goto("/admin/knowledge/article/")
    expect(page.locator("#result_list")).to_contain_text(scheduled)
    page.get_by_role("link", name=TITLE).click()
    press(page, "Cancel the scheduled publication")
    expect(page.locator(".field-publication .readonly")).to_have_text("Not published")
    log = page.locator("#transitions-group tbody tr").first
    expect(log).to_contain_text("Scheduled publication cancelled")
    expect(log).to_contain_text("It was for 1 May 2099, 14:30 UTC.")
