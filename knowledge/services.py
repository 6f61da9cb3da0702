"""Writes that carry rules: the articles' editorial workflow.

Every change of an article's status goes through ``article_transition``, which
checks the user's permission and the article's current state, records who did what
and why, and refuses anything else with ``TransitionRefused``. The admin offers only
what ``article_transitions_for`` returns, and a forged request meets the same check.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone

from knowledge.models import Article, ArticleTransition

Status = Article.Status
REVIEW_VALID_FOR = timedelta(days=365)


class TransitionRefused(Exception):
    """The user may not make this transition now; the message says why."""


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: tuple[str, ...]
    target: str
    permission: str
    needs_comment: bool = False


TRANSITIONS = {
    t.action: t
    for t in [
        Transition(
            "submit", "Send for medical review", (Status.DRAFT,), Status.IN_REVIEW,
            "knowledge.submit_article",
        ),
        Transition(
            "request_changes", "Request changes", (Status.IN_REVIEW,), Status.DRAFT,
            "knowledge.review_article", needs_comment=True,
        ),
        Transition(
            "approve", "Approve", (Status.IN_REVIEW,), Status.APPROVED,
            "knowledge.review_article",
        ),
        Transition(
            "publish", "Publish", (Status.APPROVED,), Status.PUBLISHED,
            "knowledge.publish_article",
        ),
        Transition(
            "unpublish", "Unpublish", (Status.PUBLISHED,), Status.DRAFT,
            "knowledge.publish_article",
        ),
    ]
}  # fmt: skip


def article_transitions_for(*, article: Article, user) -> list[Transition]:
    """The transitions this user may make on this article now."""
    return [
        t
        for t in TRANSITIONS.values()
        if article.status in t.source and user.has_perm(t.permission)
    ]


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
    transition = TRANSITIONS.get(action)
    if transition is None:
        raise TransitionRefused(f"There is no action called {action!r}.")
    # Lock the row: two people pressing buttons at once must not both win.
    article = Article.objects.select_for_update().get(pk=article.pk)
    if not user.has_perm(transition.permission):
        raise TransitionRefused(
            f"You do not have permission to {transition.label.lower()}."
        )
    if article.status not in transition.source:
        raise TransitionRefused(
            f"“{article}” is {article.get_status_display().lower()}: "
            f"“{transition.label}” is not possible from there."
        )
    comment = comment.strip()
    if transition.needs_comment and not comment:
        raise TransitionRefused("Say what needs to change: a comment is required.")
    if action == "approve" and _last_submitter(article) == user:
        raise TransitionRefused("A reviewer cannot approve their own submission.")

    now = timezone.now()
    previous = article.status
    article.status = transition.target
    if action == "approve":
        article.reviewed_by = user
        article.reviewed_at = now
        article.review_comment = comment
        article.review_due = (now + REVIEW_VALID_FOR).date()
    elif action == "publish":
        article.published_at = publish_at or now
    elif action == "unpublish":
        article.published_at = None
    article._change_reason = ": ".join(filter(None, [transition.label, comment]))
    article.save()
    ArticleTransition.objects.create(
        article=article,
        user=user,
        action=action,
        from_status=previous,
        to_status=transition.target,
        comment=comment,
        created_at=now,
    )
    return article


def _last_submitter(article: Article):
    submission = article.transitions.filter(action="submit").first()
    return submission.user if submission else None
