"""Writes that carry rules: the articles' side of the review workflow.

Every change of an article's status goes through ``article_transition``, which
checks the step against the shared rules (``editorial.workflow``), records who did
what and why, and refuses anything else with ``TransitionRefused``. The admin offers
only what ``article_transitions_for`` returns, and a forged request meets the same
check.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from editorial import workflow
from editorial.authorship import EDITED, article_editors
from editorial.models import ArticleTransition
from editorial.workflow import Transition, TransitionRefused
from knowledge.models import Article

__all__ = ["TransitionRefused", "article_transition", "article_transitions_for"]

Status = Article.Status
REVIEW_VALID_FOR = timedelta(days=365)

TRANSITIONS = {
    **workflow.workflow(
        app="knowledge",
        model="article",
        draft=Status.DRAFT,
        in_review=Status.IN_REVIEW,
        approved=Status.APPROVED,
        published=Status.PUBLISHED,
    ),
    "unpublish": Transition(
        "unpublish",
        "Unpublish",
        tuple(Status),
        Status.DRAFT,
        "knowledge.publish_article",
        needs_live=True,
    ),
}


def article_transitions_for(*, article: Article, user) -> list[Transition]:
    """The transitions this user may make on this article now."""
    return workflow.available(
        TRANSITIONS, article, user, editors=article_editors(article)
    )


@transaction.atomic
def article_transition(
    *,
    article: Article,
    user,
    action: str,
    comment: str = "",
    publish_at: datetime | None = None,
) -> Article:
    """Move an article through the workflow, or refuse with a reason."""
    if action not in TRANSITIONS:
        raise TransitionRefused(f"There is no action called {action!r}.")
    # Lock the row: two people pressing buttons at once must not both win.
    article = Article.objects.select_for_update().get(pk=article.pk)
    transition = workflow.check(
        TRANSITIONS,
        article,
        user,
        action,
        comment,
        editors=article_editors(article),
    )
    comment = comment.strip()

    now = timezone.now()
    previous = article.status
    target = transition.target
    if action == "approve":
        article.reviewed_by = user
        article.reviewed_at = now
        article.review_comment = comment
        article.review_due = (now + REVIEW_VALID_FOR).date()
    elif action == "publish" and publish_at and publish_at > now:
        # Scheduled: publish_scheduled makes it live when the time comes.
        article.scheduled_at = publish_at
        target = Status.APPROVED
        comment = comment or f"Scheduled for {publish_at:%Y-%m-%d %H:%M %Z}"
    elif action == "publish":
        _go_live(article, now)
    elif action == "unpublish":
        article.published_at = None
        article.clear_live_copy()
        # The working version stays where it was in the workflow, unless it was
        # the live one: that becomes a draft again.
        target = Status.DRAFT if previous == Status.PUBLISHED else previous
    article.status = target
    _save_with_log(article, user, action, previous, comment, now)
    return article


def _go_live(article: Article, now: datetime) -> None:
    article.take_live_copy()
    article.scheduled_at = None
    article.published_at = article.published_at or now
    article.status = Status.PUBLISHED


def _save_with_log(article, user, action, previous, comment, now) -> None:
    label = TRANSITIONS[action].label if action in TRANSITIONS else ""
    article._change_reason = ": ".join(filter(None, [label, comment]))
    article.save()
    ArticleTransition.objects.create(
        article=article,
        user=user,
        action=action,
        from_status=previous,
        to_status=article.status,
        comment=comment,
        created_at=now,
    )


@transaction.atomic
def article_record_edit(*, article: Article, user) -> Article:
    """Save an edit to what reviewers review (``editorial.authorship``): the article
    needs a new review before it goes live, and the editor counts as its writer.

    The live page keeps showing the published version meanwhile.
    """
    article.scheduled_at = None
    article._history_user = user
    previous = article.status
    article.status = Status.DRAFT
    if previous != Status.DRAFT:
        _save_with_log(article, user, "edit", previous, EDITED, timezone.now())
    else:
        article._change_reason = EDITED
        article.save()
    return article


def articles_publish_scheduled(*, now: datetime | None = None) -> list[Article]:
    """Publish the approved articles whose time has come (run it from cron)."""
    now = now or timezone.now()
    published = []
    due = Article.objects.filter(status=Status.APPROVED, scheduled_at__lte=now)
    for pk in due.values_list("pk", flat=True):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if article.status != Status.APPROVED or not article.scheduled_at:
                continue
            _go_live(article, now)
            _save_with_log(article, None, "publish", Status.APPROVED, "Scheduled", now)
            published.append(article)
    return published
