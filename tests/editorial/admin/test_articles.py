"""The editorial workflow: roles, transitions, review records and the admin."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import timezone

from editorial.services import (
    TransitionRefused,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article
from tests.editorial.admin.pages import change_form, change_url
from tests.factories import ArticleFactory, CauseFactory

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


# -- the workflow's buttons are the change form's ------------------------------------


def test_save_and_send_for_review_saves_the_edit_then_sends_it(author_client, draft):
    page = change_page(author_client, draft).text
    assert 'name="_transition" value="submit"' in page
    assert "Save and send for medical review" in page
    assert "formaction" not in page
    data = change_form(draft, summary="A new summary.", _transition="submit")
    response = author_client.post(change_url(draft), data, follow=True)
    assert "“Eyelid twitching” is now in review." in response.text
    draft.refresh_from_db()
    assert draft.summary == "A new summary."
    assert draft.status == Article.Status.IN_REVIEW
    assert list(draft.transitions.values_list("action", flat=True)) == ["submit"]


def test_a_reviewer_takes_a_step_from_the_change_page(client, draft, author, reviewer):
    article_transition(article=draft, user=author, action="submit")
    client.force_login(reviewer)
    assert "Save and approve" not in change_page(client, draft).text
    data = change_form(draft, _transition="approve", comment="Reads well.")
    response = client.post(change_url(draft), data, follow=True)
    assert "is now approved" in response.text
    draft.refresh_from_db()
    assert (draft.status, draft.review_comment) == (
        Article.Status.APPROVED,
        "Reads well.",
    )


def test_a_refused_step_after_a_save_says_the_edit_was_saved(author_client, draft):
    data = change_form(draft, summary="Saved anyway.", _transition="publish")
    response = author_client.post(change_url(draft), data, follow=True)
    assert "Your changes were saved, but" in response.text
    assert "You do not have permission to publish." in response.text
    draft.refresh_from_db()
    assert (draft.summary, draft.status) == ("Saved anyway.", Article.Status.DRAFT)


# -- malformed addresses answer 404, never 500 ---------------------------------------


@pytest.mark.parametrize(
    ("name", "method", "status"),
    [
        ("admin:knowledge_article_transition", "post", HTTPStatus.NOT_FOUND),
        ("admin:knowledge_article_transition", "get", HTTPStatus.METHOD_NOT_ALLOWED),
        ("admin:knowledge_article_compare", "get", HTTPStatus.NOT_FOUND),
    ],
)
def test_a_non_numeric_article_id_is_no_server_error(
    admin_client, name, method, status
):
    url = reverse(name, args=["abc"])
    response = getattr(admin_client, method)(url, {"action": "submit"})
    assert response.status_code == status


def test_waiting_page_is_refused_to_staff_who_may_not_see_articles(
    client, django_user_model
):
    ArticleFactory(title="Secret overdue title", review_due=timezone.localdate())
    Article.objects.update(review_due=timezone.localdate() - timedelta(days=1))
    staff = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(staff)
    response = client.get(reverse("admin:knowledge_article_waiting"))
    assert response.status_code == HTTPStatus.FORBIDDEN
    assert "Secret overdue title" not in response.text


# -- who may approve -----------------------------------------------------------------


def test_a_reviewer_who_asked_for_changes_may_approve_the_revision(
    client, draft, author, reviewer
):
    client.force_login(author)
    client.post(change_url(draft), change_form(draft, _transition="submit"))
    client.force_login(reviewer)
    client.post(
        change_url(draft),
        change_form(draft, _transition="request_changes", comment="Cite it."),
    )
    draft.refresh_from_db()
    client.force_login(author)
    client.post(
        change_url(draft),
        change_form(draft, body="Cited now.", _transition="submit"),
    )
    client.force_login(reviewer)
    response = client.post(
        change_url(draft), change_form(draft, _transition="approve"), follow=True
    )
    assert "is now approved" in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.APPROVED


def test_linking_a_cause_counts_as_writing_the_version_under_review(
    client, draft, author, make_user
):
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    client.force_login(both)
    cause = CauseFactory()
    client.post(change_url(draft), change_form(draft, causes=[str(cause.pk)]))
    article_transition(article=draft, user=author, action="submit")
    assert "approve" not in [
        t.action for t in article_transitions_for(article=draft, user=both)
    ]


def test_restoring_a_version_counts_whoever_wrote_it(
    client, draft, author, reviewer, publisher, make_user
):
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    client.force_login(both)
    client.post(change_url(draft), change_form(draft, body="Text by both."))
    client.force_login(author)
    draft.refresh_from_db()
    client.post(change_url(draft), change_form(draft, body="Text by the author."))
    for user, action in [(author, "submit"), (reviewer, "approve")]:
        article_transition(article=draft, user=user, action=action)
    article_transition(article=draft, user=publisher, action="publish")
    draft.refresh_from_db()
    by_both = draft.history.filter(body="Text by both.").first()
    url = reverse(
        "admin:knowledge_article_simple_history", args=[draft.pk, by_both.history_id]
    )
    old = {"title": by_both.title, "summary": by_both.summary, "body": by_both.body}
    response = client.post(url, change_form(draft, **old))
    assert response.status_code == HTTPStatus.FOUND
    draft.refresh_from_db()
    assert draft.body == "Text by both."
    article_transition(article=draft, user=author, action="submit")
    with pytest.raises(TransitionRefused, match="you wrote part of the version"):
        article_transition(article=draft, user=both, action="approve")


def test_the_change_page_tells_a_reviewer_why_they_may_not_approve(
    client, draft, author, make_user
):
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    client.force_login(both)
    client.post(change_url(draft), change_form(draft, body="Text by both."))
    article_transition(article=draft, user=author, action="submit")
    page = change_page(client, draft).text
    assert 'value="approve"' not in page
    assert "You cannot approve this version: you edited it on " in page


# -- medical reviews due: overdue, never reviewed, re-certified -----------------------


def test_live_articles_never_medically_reviewed_are_listed_as_overdue(
    client, knowledge_base, reviewer
):
    titles = list(Article.objects.values_list("title", flat=True))
    client.force_login(reviewer)
    response = client.get(reverse("admin:knowledge_article_waiting"))
    assert "Live, never medically reviewed (4)" in response.text
    changelist = client.get(
        reverse("admin:knowledge_article_changelist"), {"review": "overdue"}
    )
    for title in titles:
        assert title in response.text and title in changelist.text


def test_a_reviewer_recertifies_a_live_article_from_its_change_page(client, reviewer):
    article = ArticleFactory(title="Eyelid twitching")
    client.force_login(reviewer)
    assert 'value="recertify"' in change_page(client, article).text
    response = client.post(
        change_url(article), {"_transition": "recertify", "comment": ""}, follow=True
    )
    due = timezone.localdate() + timedelta(days=365)
    assert (
        "“Eyelid twitching” is confirmed as still accurate; the next medical review "
        f"is due on {due:%-d %B %Y}."
    ) in response.text
    article.refresh_from_db()
    assert (article.live_reviewed_by, article.review_due) == (reviewer, due)
