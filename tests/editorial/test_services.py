"""The editorial workflow: roles, transitions, review records and the admin."""

from datetime import timedelta
from http import HTTPStatus

import pytest
from django.contrib.auth.models import Group
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from editorial.models import ArticleTransition
from editorial.services import (
    TransitionRefused,
    article_record_address_change,
    article_record_edit,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article, ArticleRedirect
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


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
    with pytest.raises(TransitionRefused, match="another medical reviewer"):
        article_transition(article=draft, user=both, action="approve")


def test_no_one_who_edited_the_version_under_review_may_approve_it(
    draft, make_user, author
):
    # A colleague sends for review what an author-and-reviewer wrote.
    both = make_user("both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    draft.body += "\n\nAn addition by the author who also reviews."
    draft._history_user = both
    draft.save()
    article_transition(article=draft, user=author, action="submit")
    assert "approve" not in [
        t.action for t in article_transitions_for(article=draft, user=both)
    ]
    with pytest.raises(TransitionRefused, match="another medical reviewer"):
        article_transition(article=draft, user=both, action="approve")
    # A reviewer who only commented may approve after the author's changes.
    reviewer = make_user("plain-reviewer", "Medical reviewers")
    article_transition(
        article=draft, user=reviewer, action="request_changes", comment="Cite it."
    )
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")


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


# -- the address readers find an article at ------------------------------------------


def live_article(draft, author, reviewer, publisher, *, slug: str) -> Article:
    Article.objects.filter(pk=draft.pk).update(slug=slug)
    draft.refresh_from_db()
    for user, action in [
        (author, "submit"),
        (reviewer, "approve"),
        (publisher, "publish"),
    ]:
        article_transition(article=draft, user=user, action=action)
    draft.refresh_from_db()
    return draft


def move(article: Article, slug: str, *, author, publisher) -> None:
    article.refresh_from_db()
    article.slug = slug
    article_record_address_change(article=article, user=author)
    article_transition(article=article, user=publisher, action="publish")


def article_url(slug: str) -> str:
    return reverse("knowledge:article-detail", args=[slug])


def test_every_old_address_redirects_in_one_step_to_the_live_one(
    client, draft, author, reviewer, publisher
):
    article = live_article(draft, author, reviewer, publisher, slug="first")
    for slug in ("second", "third"):
        move(article, slug, author=author, publisher=publisher)
    for old in ("first", "second"):
        response = client.get(article_url(old))
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == article_url("third")
    # Back to the first address: it is live again, and no redirect stands in for it.
    move(article, "first", author=author, publisher=publisher)
    assert client.get(article_url("first")).status_code == HTTPStatus.OK
    assert client.get(article_url("third"))["Location"] == article_url("first")
    assert set(ArticleRedirect.objects.values_list("old_slug", flat=True)) == {
        "second",
        "third",
    }


def test_an_article_published_again_at_a_new_address_redirects_the_old_one(
    client, draft, author, reviewer, publisher
):
    article = live_article(draft, author, reviewer, publisher, slug="first")
    article_transition(article=article, user=publisher, action="unpublish")
    assert client.get(article_url("first")).status_code == HTTPStatus.NOT_FOUND
    live_article(article, author, reviewer, publisher, slug="second")
    assert client.get(article_url("first"))["Location"] == article_url("second")


def test_publishing_at_an_address_another_article_is_live_at_is_refused(
    draft, author, reviewer, publisher
):
    other = ArticleFactory(slug="taken")
    Article.objects.filter(pk=other.pk).update(slug="taken-renamed")
    Article.objects.filter(pk=draft.pk).update(slug="taken")
    article_transition(article=draft, user=author, action="submit")
    article_transition(article=draft, user=reviewer, action="approve")
    with pytest.raises(TransitionRefused, match="Readers find another article at"):
        article_transition(article=draft, user=publisher, action="publish")
    draft.refresh_from_db()
    assert (draft.status, draft.live_slug) == (Article.Status.APPROVED, None)


# -- re-certification: the live version is still accurate ----------------------------


def test_a_reviewer_confirms_a_live_article_is_still_accurate_without_an_edit(
    client, draft, author, reviewer, publisher
):
    article = live_article(draft, author, reviewer, publisher, slug="eyelids")
    long_ago = timezone.now() - timedelta(days=400)
    Article.objects.filter(pk=article.pk).update(
        reviewed_at=long_ago,
        live_reviewed_at=long_ago,
        review_due=(long_ago + timedelta(days=365)).date(),
    )
    assert Article.objects.review_overdue().filter(pk=article.pk).exists()
    text = (article.title, article.body, article.live_body_html)
    article_transition(
        article=article, user=reviewer, action="recertify", comment="Still current."
    )
    article.refresh_from_db()
    today = timezone.localdate()
    assert article.status == Article.Status.PUBLISHED
    assert (article.title, article.body, article.live_body_html) == text
    assert article.live_reviewed_by == reviewer
    assert timezone.localdate(article.live_reviewed_at) == today
    assert article.reviewed_at == article.live_reviewed_at
    assert article.review_due == today + timedelta(days=365)
    assert not Article.objects.review_overdue().filter(pk=article.pk).exists()
    step = article.transitions.first()
    assert (step.action, step.user, step.from_status, step.to_status) == (
        "recertify",
        reviewer,
        "published",
        "published",
    )
    assert step.comment == "Still current."
    page = client.get(article.get_absolute_url()).text
    assert f'datetime="{article.live_reviewed_at:%Y-%m-%d}' in page


def test_recertifying_needs_a_live_article_and_a_reviewer(
    draft, author, reviewer, publisher
):
    with pytest.raises(TransitionRefused, match="is not possible from there"):
        article_transition(article=draft, user=reviewer, action="recertify")
    article = live_article(draft, author, reviewer, publisher, slug="eyelids")
    for user in (author, publisher):
        with pytest.raises(TransitionRefused, match="You do not have permission"):
            article_transition(article=article, user=user, action="recertify")
    assert "recertify" in [
        t.action for t in article_transitions_for(article=article, user=reviewer)
    ]


def test_recertifying_with_a_draft_in_progress_certifies_the_live_version_only(
    draft, author, reviewer, publisher
):
    article = live_article(draft, author, reviewer, publisher, slug="eyelids")
    approved_at = article.reviewed_at
    article.body = "A draft nobody has reviewed."
    article_record_edit(article=article, user=author)
    article_transition(article=article, user=reviewer, action="recertify")
    article.refresh_from_db()
    assert article.status == Article.Status.DRAFT
    assert article.live_reviewed_at > approved_at
    assert article.reviewed_at == approved_at  # the draft is not reviewed
