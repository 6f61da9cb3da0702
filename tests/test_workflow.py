"""The editorial workflow: roles, transitions, review records and the admin."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article, ArticleTransition, ReviewerProfile
from knowledge.services import (
    TransitionRefused,
    article_transition,
    article_transitions_for,
)
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def make_user(django_user_model, roles):
    def make(name: str, group: str | None = None):
        user = django_user_model.objects.create_user(name, password="x", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make


@pytest.fixture
def author(make_user):
    return make_user("author", "Authors")


@pytest.fixture
def reviewer(make_user):
    user = make_user("reviewer", "Medical reviewers")
    ReviewerProfile.objects.create(
        user=user, name="Dr Ada Reyes", credential="MD, neurologist"
    )
    return user


@pytest.fixture
def publisher(make_user):
    return make_user("publisher", "Publishers")


@pytest.fixture
def draft():
    return ArticleFactory(
        title="Eyelid twitching", status=Article.Status.DRAFT, published_at=None
    )


def permissions_of(group: str) -> set[str]:
    return set(
        Permission.objects.filter(group__name=group).values_list("codename", flat=True)
    )


def test_roles_have_exactly_the_workflow_permissions_they_need(roles):
    authors = permissions_of("Authors")
    reviewers = permissions_of("Medical reviewers")
    publishers = permissions_of("Publishers")
    assert {"add_article", "change_article", "submit_article"} <= authors
    assert not {"review_article", "publish_article", "delete_article"} & authors
    assert "review_article" in reviewers
    assert not {"change_article", "publish_article", "submit_article"} & reviewers
    assert "publish_article" in publishers
    assert not {"change_article", "review_article", "submit_article"} & publishers


def test_the_whole_way_from_draft_to_published_and_back(
    draft, author, reviewer, publisher
):
    article_transition(article=draft, user=author, action="submit")
    article_transition(
        article=draft, user=reviewer, action="request_changes", comment="Cite B12."
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve", comment="OK")
    draft.refresh_from_db()
    assert draft.status == Article.Status.APPROVED
    assert draft.reviewed_by == reviewer
    assert draft.review_comment == "OK"
    assert draft.review_due == (draft.reviewed_at + timedelta(days=365)).date()
    article_transition(article=draft, user=publisher, action="publish")
    assert Article.objects.published().get() == draft
    article_transition(article=draft, user=publisher, action="unpublish")
    assert not Article.objects.published().exists()
    log = list(
        ArticleTransition.objects.order_by("created_at", "pk").values_list(
            "user__username", "from_status", "to_status", "comment"
        )
    )
    assert log == [
        ("author", "draft", "in_review", ""),
        ("reviewer", "in_review", "draft", "Cite B12."),
        ("author", "draft", "in_review", ""),
        ("reviewer", "in_review", "approved", "OK"),
        ("publisher", "approved", "published", ""),
        ("publisher", "published", "draft", ""),
    ]


@pytest.mark.parametrize(
    ("role", "action"),
    [
        ("author", "approve"),
        ("author", "publish"),
        ("reviewer", "submit"),
        ("reviewer", "publish"),
        ("publisher", "approve"),
        ("publisher", "submit"),
    ],
)
def test_a_role_cannot_make_another_roles_transition(request, draft, role, action):
    user = request.getfixturevalue(role)
    with pytest.raises(TransitionRefused, match="permission"):
        article_transition(article=draft, user=user, action=action)
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not ArticleTransition.objects.exists()


def test_transitions_need_the_right_state(draft, reviewer, publisher):
    with pytest.raises(TransitionRefused, match="not possible"):
        article_transition(article=draft, user=reviewer, action="approve")
    with pytest.raises(TransitionRefused, match="not possible"):
        article_transition(article=draft, user=publisher, action="publish")


def test_requesting_changes_needs_a_comment(draft, author, reviewer):
    article_transition(article=draft, user=author, action="submit")
    with pytest.raises(TransitionRefused, match="comment"):
        article_transition(
            article=draft, user=reviewer, action="request_changes", comment="  "
        )


def test_a_reviewer_cannot_approve_their_own_submission(draft, make_user):
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    article_transition(article=draft, user=both, action="submit")
    with pytest.raises(TransitionRefused, match="own submission"):
        article_transition(article=draft, user=both, action="approve")


def test_unknown_action_is_refused(draft, author):
    with pytest.raises(TransitionRefused, match="no action"):
        article_transition(article=draft, user=author, action="delete_everything")


def test_scheduled_publication_goes_live_when_its_time_comes(
    draft, author, reviewer, publisher, client, monkeypatch
):
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")
    go_live = timezone.now() + timedelta(hours=2)
    article_transition(
        article=draft, user=publisher, action="publish", publish_at=go_live
    )
    draft.refresh_from_db()
    assert (draft.status, draft.scheduled_at) == (Article.Status.APPROVED, go_live)
    call_command("publish_scheduled", verbosity=0)  # too early: nothing happens
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    later = go_live + timedelta(minutes=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    call_command("publish_scheduled", verbosity=0)
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.OK
    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_at == later
    assert draft.transitions.first().comment == "Scheduled"


def test_an_edit_to_a_live_article_stays_invisible_until_published(
    draft, author, reviewer, publisher, client
):
    for user, action in [(author, "submit"), (reviewer, "approve")]:
        article_transition(article=draft, user=user, action=action)
    article_transition(article=draft, user=publisher, action="publish")
    client.force_login(author)
    draft.refresh_from_db()
    client.post(
        reverse("admin:knowledge_article_change", args=[draft.pk]),
        {
            "title": "Eyelid twitching, revised",
            "slug": draft.slug,
            "summary": "",
            "body": "A claim nobody has reviewed.",
            "transitions-TOTAL_FORMS": "0",
            "transitions-INITIAL_FORMS": "0",
            "expected_version": draft.version,
        },
    )
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    client.logout()
    live = client.get(draft.get_absolute_url())
    assert live.status_code == HTTPStatus.OK
    assert "A claim nobody has reviewed." not in live.text
    assert "<h1>Eyelid twitching</h1>" in live.text
    for user, action in [(author, "submit"), (reviewer, "approve")]:
        article_transition(article=draft, user=user, action=action)
    approved = client.get(draft.get_absolute_url())
    assert "A claim nobody has reviewed." not in approved.text
    article_transition(article=draft, user=publisher, action="publish")
    page = client.get(draft.get_absolute_url())
    assert "A claim nobody has reviewed." in page.text
    assert "<h1>Eyelid twitching, revised</h1>" in page.text


def test_unpublishing_takes_the_article_off_the_site(
    draft, author, reviewer, publisher, client
):
    for user, action in [(author, "submit"), (reviewer, "approve")]:
        article_transition(article=draft, user=user, action=action)
    article_transition(article=draft, user=publisher, action="publish")
    article_transition(article=draft, user=publisher, action="unpublish")
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    draft.refresh_from_db()
    assert (draft.status, draft.live_title) == (Article.Status.DRAFT, "")


def test_public_page_names_the_reviewer_and_the_date(
    draft, author, reviewer, publisher, client
):
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")
    article_transition(article=draft, user=publisher, action="publish")
    response = client.get(draft.get_absolute_url())
    draft.refresh_from_db()
    date = draft.reviewed_at.strftime("%-d %B %Y")
    assert (
        "Medically reviewed by <strong>Dr Ada Reyes, MD, neurologist</strong>"
        in response.text
    )
    assert date in response.text
    assert '"lastReviewed"' in response.text and '"jobTitle": "MD, neurologist"' in (
        response.text
    )


# -- the admin -----------------------------------------------------------------------


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


def test_preview_shows_the_working_version_to_staff_only(client, draft, author):
    url = reverse("knowledge:article-preview", args=[draft.pk])
    assert client.get(url).status_code == HTTPStatus.FORBIDDEN
    client.force_login(author)
    response = client.get(url)
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Eyelid twitching</h1>" in response.text
    assert '<meta name="robots" content="noindex, nofollow">' in response.text
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert "no-store" in response["Cache-Control"]
    assert "Readers do not see this page" in response.text
