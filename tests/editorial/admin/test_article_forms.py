"""The article's change form: what counts as an edit, and the workflow's inputs."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from editorial.models import ArticleTransition
from editorial.services import article_transition
from knowledge.models import Article
from tests.editorial.admin.pages import change_form, change_url
from tests.factories import ArticleFactory, CauseFactory

pytestmark = pytest.mark.django_db

BODY = "## Heading\n\nFirst paragraph.\n\nSecond paragraph."


@pytest.fixture
def live():
    """A published article whose stored text has Unix line endings."""
    return ArticleFactory(title="Eyelid twitching", summary="One.\nTwo.", body=BODY)


def test_saving_an_unchanged_live_article_changes_nothing(author_client, live):
    history_rows = live.history.count()
    version = live.version
    response = author_client.post(change_url(live), change_form(live), follow=True)
    assert response.status_code == HTTPStatus.OK
    assert "Saved as a new draft" not in response.text
    live.refresh_from_db()
    assert live.status == Article.Status.PUBLISHED
    assert live.version == version
    assert live.history.count() == history_rows
    assert not ArticleTransition.objects.exists()


def test_a_real_edit_is_stored_with_unix_line_endings(author_client, live):
    response = author_client.post(
        change_url(live), change_form(live, body=BODY + "\n\nThird paragraph.")
    )
    assert response.status_code == HTTPStatus.FOUND
    live.refresh_from_db()
    assert live.body == BODY + "\n\nThird paragraph."
    assert "\r" not in live.summary
    assert live.status == Article.Status.DRAFT
    assert live.history.first().history_change_reason == "Edited"


def test_changing_only_the_causes_is_an_edit(author_client, live):
    cause = CauseFactory()
    author_client.post(change_url(live), change_form(live, causes=[str(cause.pk)]))
    live.refresh_from_db()
    assert list(live.causes.all()) == [cause]
    assert live.status == Article.Status.DRAFT


def go_live(article: Article, author, reviewer, publisher) -> None:
    for user, action in [
        (author, "submit"),
        (reviewer, "approve"),
        (publisher, "publish"),
    ]:
        article_transition(article=article, user=user, action=action)
    article.refresh_from_db()


def test_unlinking_a_cause_from_a_live_article_waits_for_publication(
    client, draft, author, reviewer, publisher
):
    cause = CauseFactory(name="Low magnesium")
    draft.causes.add(cause)
    go_live(draft, author, reviewer, publisher)
    client.force_login(author)
    response = client.post(
        change_url(draft), change_form(draft, causes=[]), follow=True
    )
    assert "Saved as a new draft. Readers keep seeing the published version" in (
        response.text
    )
    client.logout()
    page = client.get(draft.get_absolute_url()).text
    assert "In this article" in page and cause.get_absolute_url() in page
    draft.refresh_from_db()
    go_live(draft, author, reviewer, publisher)
    page = client.get(draft.get_absolute_url()).text
    assert "In this article" not in page and cause.get_absolute_url() not in page


def test_a_new_address_takes_effect_on_publication_then_the_old_one_redirects(
    client, draft, author, reviewer, publisher
):
    go_live(draft, author, reviewer, publisher)
    old_url = draft.get_absolute_url()
    new_url = reverse("knowledge:article-detail", args=["eyelid-twitches"])
    client.force_login(author)
    response = client.post(
        change_url(draft), change_form(draft, slug="eyelid-twitches"), follow=True
    )
    assert (
        f"Readers keep finding it at {old_url} until it is published again"
        in response.text
    )
    draft.refresh_from_db()
    # The reviewed text has not changed: it waits for a publisher, not a reviewer.
    assert (draft.slug, draft.status) == ("eyelid-twitches", Article.Status.APPROVED)
    client.logout()
    assert client.get(old_url).status_code == HTTPStatus.OK
    assert client.get(new_url).status_code == HTTPStatus.NOT_FOUND
    article_transition(article=draft, user=publisher, action="publish")
    moved = client.get(old_url)
    assert moved.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert moved["Location"] == new_url
    assert client.get(new_url).status_code == HTTPStatus.OK


def test_a_slug_change_on_an_unpublished_article_is_saved_without_a_new_review(
    author_client, draft
):
    author_client.post(change_url(draft), change_form(draft, slug="eyelid-twitches"))
    draft.refresh_from_db()
    assert (draft.slug, draft.status) == ("eyelid-twitches", Article.Status.DRAFT)


def test_an_address_another_article_is_live_at_is_refused(author_client, live):
    other = ArticleFactory(slug="eyelid-spasm")
    # Renamed, but readers find it at its old address until it is published.
    Article.objects.filter(pk=other.pk).update(slug="eyelid-spasm-renamed")
    response = author_client.post(
        change_url(live), change_form(live, slug="eyelid-spasm")
    )
    assert response.status_code == HTTPStatus.OK
    assert "Readers find another article at this address" in response.text
    live.refresh_from_db()
    assert live.slug != "eyelid-spasm"


def test_the_transition_address_refuses_a_form_with_unsaved_edits(author_client, draft):
    data = change_form(draft, summary="A summary nobody saved.", action="submit")
    response = author_client.post(
        reverse("admin:knowledge_article_transition", args=[draft.pk]),
        data,
        follow=True,
    )
    assert "Nothing was done: your changes to the summary are not saved" in (
        response.text
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert draft.summary != "A summary nobody saved."


def test_the_transition_address_takes_a_step_when_nothing_is_unsaved(
    author_client, draft
):
    data = change_form(draft, action="submit")
    response = author_client.post(
        reverse("admin:knowledge_article_transition", args=[draft.pk]),
        data,
        follow=True,
    )
    assert "is now in review" in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW


def test_an_impossible_publication_time_is_a_form_error_and_nothing_is_saved(
    admin_client,
):
    article = ArticleFactory(status=Article.Status.APPROVED, published_at=None)
    data = change_form(
        article,
        summary="Edited in the same breath.",
        publish_at="2026-13-45T99:99",
        _transition="publish",
    )
    response = admin_client.post(change_url(article), data)
    assert response.status_code == HTTPStatus.OK
    assert "The publication time is not a valid date and time" in response.text
    assert "Edited in the same breath." in response.text  # still in the form
    article.refresh_from_db()
    assert article.status == Article.Status.APPROVED
    assert article.summary != "Edited in the same breath."


def test_an_impossible_publication_time_at_the_transition_address_is_refused(
    admin_client,
):
    article = ArticleFactory(status=Article.Status.APPROVED, published_at=None)
    response = admin_client.post(
        reverse("admin:knowledge_article_transition", args=[article.pk]),
        {"action": "publish", "publish_at": "2026-13-45T99:99"},
        follow=True,
    )
    assert response.status_code == HTTPStatus.OK
    assert "The publication time is not a valid date and time" in response.text
    article.refresh_from_db()
    assert (article.status, article.published_at) == (Article.Status.APPROVED, None)


def test_a_stale_form_takes_no_step_and_keeps_its_text(author_client, draft):
    data = change_form(draft, summary="My summary.", _transition="submit")
    draft.body = "Someone else's save."
    draft.save()
    response = author_client.post(change_url(draft), data)
    assert response.status_code == HTTPStatus.OK
    assert "Someone else saved this article after you opened it" in response.text
    assert "My summary." in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
