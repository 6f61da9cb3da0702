"""What the article admin shows of the workflow: the schedule with its time zone,
the log in words, and the requests for changes still open."""

from datetime import datetime, timedelta
from http import HTTPStatus
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.services import article_transition
from knowledge.models import Article
from tests.editorial.admin.pages import change_form, change_url
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:knowledge_article_changelist")


@pytest.fixture
def approved(draft, author, reviewer):
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")
    draft.refresh_from_db()
    return draft


def test_a_scheduled_article_shows_when_it_goes_live_with_its_time_zone(
    client, approved, publisher
):
    client.force_login(publisher)
    response = client.post(
        change_url(approved),
        {"_transition": "publish", "publish_at": "2099-05-01T14:30", "comment": ""},
        follow=True,
    )
    assert "is now approved" in response.text
    approved.refresh_from_db()
    assert approved.scheduled_at == datetime(2099, 5, 1, 14, 30, tzinfo=ZoneInfo("UTC"))
    expected = "Not published; scheduled: goes live on 1 May 2099, 14:30 UTC"
    assert expected in response.text  # the change page, not "Published: -"
    assert expected in client.get(CHANGELIST).text  # and the list of articles
    log = response.text[response.text.index('id="transitions-group"') :]
    assert "Publication scheduled" in log and "For 1 May 2099, 14:30 UTC." in log


def test_the_time_fields_say_which_zone_they_are_read_in(
    client, approved, publisher, settings
):
    settings.TIME_ZONE = "Europe/Paris"
    client.force_login(publisher)
    page = client.get(change_url(approved)).text
    assert "Publish at, Europe/Paris time" in page
    client.post(
        change_url(approved),
        {"_transition": "publish", "publish_at": "2099-07-01T10:00", "comment": ""},
    )
    approved.refresh_from_db()
    assert approved.scheduled_at == datetime(2099, 7, 1, 8, 0, tzinfo=ZoneInfo("UTC"))
    assert "goes live on 1 July 2099, 10:00 CEST" in client.get(CHANGELIST).text


def test_a_publisher_cancels_a_scheduled_publication(client, approved, publisher):
    go_live = timezone.now() + timedelta(days=2)
    article_transition(
        article=approved, user=publisher, action="publish", publish_at=go_live
    )
    client.force_login(publisher)
    page = client.get(change_url(approved)).text
    assert 'value="cancel_publication"' in page
    assert "Cancel the scheduled publication" in page
    response = client.post(
        change_url(approved),
        {"_transition": "cancel_publication", "comment": "Not yet."},
        follow=True,
    )
    approved.refresh_from_db()
    assert (approved.status, approved.scheduled_at) == (Article.Status.APPROVED, None)
    assert 'value="cancel_publication"' not in response.text
    step = approved.transitions.first()
    assert (step.action, step.user, step.comment) == (
        "cancel_publication",
        publisher,
        f"It was for {timezone.localtime(go_live):%-d %B %Y, %H:%M} UTC. Not yet.",
    )
    assert "Scheduled publication cancelled" in response.text


def test_a_publisher_schedules_a_live_article_to_leave_the_site(client, publisher):
    live = ArticleFactory(title="Winter advice")
    client.force_login(publisher)
    assert "Unpublish at, UTC time" in client.get(change_url(live)).text
    response = client.post(
        change_url(live),
        {"_transition": "unpublish", "unpublish_at": "2099-03-01T09:00"},
        follow=True,
    )
    live.refresh_from_db()
    assert live.unpublish_at == datetime(2099, 3, 1, 9, 0, tzinfo=ZoneInfo("UTC"))
    assert live.status == Article.Status.PUBLISHED and live.live_title
    assert "scheduled to leave the site on 1 March 2099, 09:00 UTC" in response.text
    assert 'value="cancel_unpublication"' in response.text
    assert "Unpublishing scheduled" in response.text
    client.post(change_url(live), {"_transition": "cancel_unpublication"})
    live.refresh_from_db()
    assert (live.unpublish_at, live.status) == (None, Article.Status.PUBLISHED)


def test_an_impossible_unpublish_time_is_a_form_error(client, publisher):
    live = ArticleFactory()
    client.force_login(publisher)
    response = client.post(
        change_url(live),
        {"_transition": "unpublish", "unpublish_at": "2026-13-45T99:99"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert "The time to unpublish is not a valid date and time" in response.text
    live.refresh_from_db()
    assert live.live_title and live.unpublish_at is None


def test_the_log_names_steps_and_statuses_in_words(client, draft, author, reviewer):
    article_transition(article=draft, user=author, action="submit")
    article_transition(
        article=draft, user=reviewer, action="request_changes", comment="Cite it."
    )
    client.force_login(author)
    page = client.get(change_url(draft)).text
    log = page[page.index('id="transitions-group"') :]
    for words in ("Sent for medical review", "Changes requested", "In review → Draft"):
        assert words in log
    for code in ("request_changes", "in_review", "draft →"):
        assert code not in log
    assert str(draft.transitions.first()) == (
        "Eyelid twitching: In review → Draft (reviewer)"
    )


def test_open_requests_for_changes_stand_at_the_top_until_dealt_with(
    client, draft, author, reviewer
):
    article_transition(article=draft, user=author, action="submit")
    article_transition(
        article=draft,
        user=reviewer,
        action="request_changes",
        comment="Say where the figure comes from.",
    )
    client.force_login(author)
    page = client.get(change_url(draft)).text
    notice = page.index("Changes requested by reviewer on ")
    assert notice < page.index('name="title"')  # above the form's fields
    assert "Say where the figure comes from." in page
    assert "Save and mark the requested changes as dealt with" in page
    draft.refresh_from_db()
    data = change_form(draft, body="Sourced now.", _transition="dealt_with")
    response = client.post(change_url(draft), data, follow=True)
    assert "Your changes were saved. “Eyelid twitching” is now draft." in response.text
    assert "Changes requested by reviewer on " not in response.text
    draft.refresh_from_db()
    assert (draft.body, draft.status) == ("Sourced now.", Article.Status.DRAFT)
