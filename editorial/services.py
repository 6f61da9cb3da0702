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

from editorial.models import ArticleTransition
from knowledge.models import Article

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
    needs_live: bool = False

    def allowed_from(self, article: Article) -> bool:
        if self.needs_live:
            return article.published_at is not None
        return article.status in self.source


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
            "unpublish", "Unpublish", tuple(Status), Status.DRAFT,
            "knowledge.publish_article", needs_live=True,
        ),
    ]
}  # fmt: skip


def article_transitions_for(*, article: Article, user) -> list[Transition]:
    """The transitions this user may make on this article now."""
    return [
        t
        for t in TRANSITIONS.values()
        if t.allowed_from(article) and user.has_perm(t.permission)
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
    if not transition.allowed_from(article):
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
    label = TRANSITIONS[action].label if action in TRANSITIONS else action
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
    """An edit to an article's text: it needs a new review before it goes live.

    The live page keeps showing the published version meanwhile.
    """
    article.scheduled_at = None
    previous = article.status
    if previous != Status.DRAFT:
        article.status = Status.DRAFT
        _save_with_log(article, user, "edit", previous, "Edited", timezone.now())
    else:
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


def _last_submitter(article: Article):
    submission = article.transitions.filter(action="submit").first()
    return submission.user if submission else None
