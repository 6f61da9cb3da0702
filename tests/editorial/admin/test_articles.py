"""The editorial workflow: roles, transitions, review records and the admin."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.services import (
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def change_page(client, article):
    return client.get(reverse("admin:knowledge_article_change", args=[article.pk]))


def post_transition(client, article, action, **data):
    return client.post(
        reverse("admin:knowledge_article_transition", args=[article.pk]),
        {"action": action, **data},
        follow=True,
    )


def test_admin_offers_only_the_users_own_transitions(
    client, draft, author, reviewer, publisher
):
    client.force_login(author)
    page = change_page(client, draft).text
    assert 'value="submit"' in page
    assert 'value="approve"' not in page and 'value="publish"' not in page
    article_transition(article=draft, user=author, action="submit")
    client.force_login(reviewer)
    page = change_page(client, draft).text
    assert 'value="approve"' in page and 'value="request_changes"' in page
    assert 'value="publish"' not in page
    assert [
        t.action for t in article_transitions_for(article=draft, user=publisher)
    ] == []


def test_forged_post_is_refused_with_a_message(client, draft, author):
    client.force_login(author)
    response = post_transition(client, draft, "publish")
    assert response.status_code == HTTPStatus.OK
    assert "You do not have permission to publish." in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def test_admin_buttons_move_the_article(client, draft, author, reviewer):
    client.force_login(author)
    response = post_transition(client, draft, "submit")
    assert "is now in review" in response.text
    client.force_login(reviewer)
    response = post_transition(client, draft, "request_changes", comment="")
    assert "a comment is required" in response.text
    response = post_transition(client, draft, "request_changes", comment="Add a source")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert "Add a source" in change_page(client, draft).text


def test_authors_cannot_set_the_status_by_editing(client, draft, author):
    client.force_login(author)
    client.post(
        reverse("admin:knowledge_article_change", args=[draft.pk]),
        {
            "title": draft.title,
            "slug": draft.slug,
            "summary": "",
            "body": "Edited.",
            "status": "published",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "expected_version": draft.version,
        },
    )
    draft.refresh_from_db()
    assert draft.body == "Edited."
    assert draft.status == Article.Status.DRAFT


def test_waiting_page_shows_each_role_its_queue(client, draft, author, reviewer):
    article_transition(article=draft, user=author, action="submit")
    overdue = ArticleFactory(title="Old review", review_due=timezone.localdate())
    Article.objects.filter(pk=overdue.pk).update(
        review_due=timezone.localdate() - timedelta(days=1)
    )
    client.force_login(reviewer)
    response = client.get(reverse("admin:knowledge_article_waiting"))
    assert "Waiting for your medical review (1)" in response.text
    assert "Eyelid twitching" in response.text
    assert "Drafts to finish" not in response.text
    assert "Old review" in response.text  # overdue
    changelist = client.get(
        reverse("admin:knowledge_article_changelist"), {"review": "overdue"}
    )
    assert "Old review" in changelist.text
    assert reverse("admin:knowledge_article_waiting") in changelist.text


def test_every_save_is_kept_in_history(draft, author):
    draft.body = "Second version."
    draft.save()
    article_transition(article=draft, user=author, action="submit")
    history = draft.history.order_by("history_date")
    assert [h.body for h in history][-2:] == ["Second version.", "Second version."]
    assert history.last().history_change_reason == "Send for medical review"


def test_a_second_save_from_a_stale_form_is_refused_and_loses_nothing(
    client, draft, author, make_user
):
    other = make_user("other-author", "Authors")
    url = reverse("admin:knowledge_article_change", args=[draft.pk])
    opened_at = draft.version  # both editors open the page now

    def save(user, body):
        client.force_login(user)
        return client.post(
            url,
            {
                "title": draft.title,
                "slug": draft.slug,
                "summary": "",
                "body": body,
                "transitions-TOTAL_FORMS": "0",
                "transitions-INITIAL_FORMS": "0",
                "expected_version": opened_at,
            },
        )

    assert save(author, "First editor's text.").status_code == HTTPStatus.FOUND
    second = save(other, "Second editor's text.")
    assert second.status_code == HTTPStatus.OK
    assert "Someone else saved this article after you opened it" in second.text
    assert "Second editor&#x27;s text." in second.text  # still in the form
    draft.refresh_from_db()
    assert draft.body == "First editor's text."


def test_compare_page_shows_field_by_field_changes(client, draft, author):
    draft.body = "Line one.\nLine two."
    draft.save()
    draft.body = "Line one.\nLine 2."
    draft.title = "Eyelid twitching, renamed"
    draft.save()
    client.force_login(author)
    page = client.get(reverse("admin:knowledge_article_compare", args=[draft.pk]))
    assert page.status_code == HTTPStatus.OK
    assert "<del>- Line two.</del>" in page.text
    assert "<ins>+ Line 2.</ins>" in page.text
    assert "<ins>+ Eyelid twitching, renamed</ins>" in page.text


def test_restoring_an_old_version_needs_a_new_review(
    client, draft, author, reviewer, publisher
):
    for user, action in [(author, "submit"), (reviewer, "approve")]:
        article_transition(article=draft, user=user, action=action)
    article_transition(article=draft, user=publisher, action="publish")
    draft.refresh_from_db()
    draft.body = "Newer text."
    draft.save()
    oldest = draft.history.order_by("history_date").first()
    client.force_login(author)
    url = reverse(
        "admin:knowledge_article_simple_history", args=[draft.pk, oldest.history_id]
    )
    response = client.post(
        url,
        {
            "title": oldest.title,
            "slug": oldest.slug,
            "summary": oldest.summary,
            "body": oldest.body,
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "expected_version": draft.version,
        },
    )
    assert response.status_code == HTTPStatus.FOUND, response.content[:1500]
    draft.refresh_from_db()
    assert draft.body == oldest.body.strip()
    assert draft.status == Article.Status.DRAFT
    assert draft.published_at is not None  # still live, with the reviewed text
