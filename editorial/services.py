"""Writes that carry rules: the articles' side of the review workflow.

Every change of an article's status goes through ``article_transition``, which
checks the step against the shared rules (``editorial.workflow``), records who did
what and why, and refuses anything else with ``TransitionRefused``. The admin offers
only what ``article_transitions_for`` returns, and a forged request meets the same
check. A step then tells the people it leaves waiting (``editorial.notifications``)
and opens or closes requests for changes (``editorial.feedback``).

Publishing and unpublishing can be scheduled: ``articles_run_schedule`` (the
``publish_scheduled`` command) takes the same steps when their time comes.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from editorial import feedback, notifications, workflow
from editorial.authorship import EDITED, article_editors, live_version_editors
from editorial.models import ArticleTransition
from editorial.workflow import Transition, TransitionRefused
from knowledge.models import Article
from knowledge.services import article_redirects_update

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
        done="Unpublished",
    ),
    "cancel_publication": Transition(
        "cancel_publication",
        "Cancel the scheduled publication",
        (Status.APPROVED,),
        Status.APPROVED,
        "knowledge.publish_article",
        done="Scheduled publication cancelled",
        condition=lambda article: article.scheduled_at is not None,
    ),
    "cancel_unpublication": Transition(
        "cancel_unpublication",
        "Cancel the scheduled unpublishing",
        tuple(Status),
        "",  # the article stays where it is
        "knowledge.publish_article",
        done="Scheduled unpublishing cancelled",
        condition=lambda article: article.unpublish_at is not None,
    ),
    # A reviewer confirms that what readers see is still accurate, without an
    # edit: a new review date, and the next review a year later. Refused to anyone
    # who wrote the live version (``live_version_editors``).
    "recertify": Transition(
        "recertify",
        "Re-certify the live version",
        tuple(Status),
        "",  # the article stays where it is
        "knowledge.review_article",
        needs_live=True,
        independent=True,
        done="Re-certified as still accurate",
    ),
    "dealt_with": Transition(
        "dealt_with",
        "Mark the requested changes as dealt with",
        (Status.DRAFT,),
        Status.DRAFT,
        "knowledge.submit_article",
        done="Requested changes marked as dealt with",
        condition=lambda article: feedback.open_change_requests(article).exists(),
    ),
}
# Steps the log names that have no button of their own.
SCHEDULING = {
    "schedule_publication": "Publication scheduled",
    "schedule_unpublication": "Unpublishing scheduled",
}
LOGGED = {
    "edit": "Edited: a new draft",
    "change_address": "New address, waiting to be published",
    **SCHEDULING,
}


def article_log_label(step: ArticleTransition) -> str:
    """How the log names a step: "Changes requested", never ``request_changes``."""
    if step.action == "publish" and step.to_status != Status.PUBLISHED:
        return SCHEDULING["schedule_publication"]  # how scheduling was logged once
    return workflow.log_label(TRANSITIONS, step.action, LOGGED)


def article_transitions_for(*, article: Article, user) -> list[Transition]:
    """The transitions this user may make on this article now."""
    working = {a: t for a, t in TRANSITIONS.items() if a != "recertify"}
    steps = workflow.available(working, article, user, editors=article_editors(article))
    recertify = {"recertify": TRANSITIONS["recertify"]}
    if recertify["recertify"].allowed_from(article):
        editors = live_version_editors(article)
        steps += workflow.available(recertify, article, user, editors=editors)
    return steps


def _editors(article: Article, action: str) -> dict[int, str]:
    """Who wrote what the step reviews: the live version when re-certifying."""
    if action == "recertify":
        return live_version_editors(article)
    return article_editors(article)


def _address_taken(article: Article) -> bool:
    """Whether readers find another article at this article's working address."""
    return (
        Article.objects.filter(live_slug=article.slug).exclude(pk=article.pk).exists()
    )


@transaction.atomic
def article_transition(
    *,
    article: Article,
    user,
    action: str,
    comment: str = "",
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
) -> Article:
    """Move an article through the workflow, or refuse with a reason.

    A future ``publish_at`` schedules publishing, a future ``unpublish_at``
    unpublishing; either in the past means now.
    """
    if action not in TRANSITIONS:
        raise TransitionRefused(f"There is no action called {action!r}.")
    # Lock the row: two people pressing buttons at once must not both win.
    article = Article.objects.select_for_update().get(pk=article.pk)
    editors = _editors(article, action)
    workflow.check(TRANSITIONS, article, user, action, comment, editors=editors)
    if action == "publish" and _address_taken(article):
        address = reverse("knowledge:article-detail", args=[article.slug])
        raise TransitionRefused(
            f"Readers find another article at {address}: give “{article}” another "
            "address (slug) before publishing it."
        )
    comment = comment.strip()
    now = timezone.now()
    step = _take_step(
        article,
        user,
        action,
        comment,
        now,
        publish_at=publish_at,
        unpublish_at=unpublish_at,
    )
    _follow_up(article, user, action, step, editors)
    return article


def _take_step(
    article: Article,
    user,
    action: str,
    comment: str,
    now: datetime,
    *,
    publish_at: datetime | None = None,
    unpublish_at: datetime | None = None,
) -> ArticleTransition:
    """Do to a locked article what the step does, save it and log it."""
    previous = article.status
    target = TRANSITIONS[action].target or previous
    if action == "approve":
        article.reviewed_by = user
        article.reviewed_at = now
        article.review_comment = comment
        article.review_due = (now + REVIEW_VALID_FOR).date()
    elif action == "publish" and publish_at and publish_at > now:
        # Scheduled: publish_scheduled makes it live when the time comes.
        article.scheduled_at = publish_at
        target = Status.APPROVED
        action, comment = "schedule_publication", _at(publish_at, comment)
    elif action == "publish":
        _go_live(article, now)
    elif action == "unpublish" and unpublish_at and unpublish_at > now:
        article.unpublish_at = unpublish_at
        target = previous
        action, comment = "schedule_unpublication", _at(unpublish_at, comment)
    elif action == "unpublish":
        was_at = article.live_slug
        article.published_at = article.unpublish_at = None
        article.clear_live_copy()
        article.live_nutrients.clear()
        article.live_causes.clear()
        # Published again at another address, the article is found from this one.
        article_redirects_update(article=article, old_slug=was_at)
        # The working version stays where it was in the workflow, unless it was
        # the live one: that becomes a draft again.
        target = Status.DRAFT if previous == Status.PUBLISHED else previous
    elif action == "recertify":
        article.live_reviewed_by, article.live_reviewed_at = user, now
        article.review_due = (now + REVIEW_VALID_FOR).date()
        if previous == Status.PUBLISHED:  # the working version is the live one
            article.reviewed_by, article.reviewed_at = user, now
            article.review_comment = comment
    elif action == "cancel_publication":
        comment = _at(article.scheduled_at, comment, "It was for")
        article.scheduled_at = None
    elif action == "cancel_unpublication":
        comment = _at(article.unpublish_at, comment, "It was for")
        article.unpublish_at = None
    article.status = target
    return _save_with_log(article, user, action, previous, comment, now)


def _at(when: datetime, comment: str, said: str = "For") -> str:
    """A scheduling step's comment: its time, with its zone, then the user's."""
    return " ".join(filter(None, [f"{said} {feedback.when(when)}.", comment]))


def _follow_up(article: Article, user, action: str, step, editors) -> None:
    """Open or close requests for changes; tell whoever the step leaves waiting."""
    recipients = notifications.step_recipients(
        transitions=TRANSITIONS, action=action, actor=user, editors=editors
    )
    if action == "request_changes":
        feedback.change_request_open(request=step, addressed_to=recipients)
    elif action in ("submit", "dealt_with"):
        feedback.change_requests_close(article=article, user=user, when=step.created_at)
    notifications.step_notify(
        recipients=recipients,
        action=action,
        subject=article,
        kind="article",
        actor=user,
        comment=step.comment,
        path=reverse("admin:knowledge_article_change", args=[article.pk]),
    )


def _go_live(article: Article, now: datetime) -> None:
    """Make the working version the one readers see: its text, its review, its
    links and its address (the one it had before redirects to it)."""
    was_at = article.live_slug
    article.take_live_copy()
    article.live_nutrients.set(article.nutrients.all())
    article.live_causes.set(article.causes.all())
    article_redirects_update(article=article, old_slug=was_at)
    article.scheduled_at = None
    article.published_at = article.published_at or now
    article.status = Status.PUBLISHED


def _save_with_log(article, user, action, previous, comment, now) -> ArticleTransition:
    label = TRANSITIONS[action].label if action in TRANSITIONS else ""
    label = label or SCHEDULING.get(action, "")
    article._change_reason = ": ".join(filter(None, [label, comment]))
    # The version names who took the step, whether or not a request is behind it
    # (a command, the schedule: no one).
    article._history_user = user
    article.save()
    return ArticleTransition.objects.create(
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


@transaction.atomic
def article_record_address_change(*, article: Article, user) -> Article:
    """Save a new address (slug) for an article: readers keep finding it at its
    live address until it is published again, and then the old one redirects.

    The address is not reviewed content: a published article whose text is
    unchanged becomes approved, waiting for a publisher only.
    """
    article._history_user = user
    previous = article.status
    comment = f"New address: {article.slug}"
    if previous == Status.PUBLISHED and article.slug != article.live_slug:
        article.status = Status.APPROVED
        now = timezone.now()
        _save_with_log(article, user, "change_address", previous, comment, now)
    else:
        article._change_reason = comment
        article.save()
    return article


def articles_run_schedule(*, now: datetime | None = None) -> list[tuple[str, Article]]:
    """Publish and unpublish the articles whose scheduled time has come, in the order
    of their times; each step is logged as the schedule's, with no user.

    Run it every minute (``publish_scheduled``). Each step is a transaction of its
    own: one that fails leaves the others done.
    """
    now = now or timezone.now()
    due = [
        (when, "publish", pk)
        for pk, when in Article.objects.filter(
            status=Status.APPROVED, scheduled_at__lte=now
        ).values_list("pk", "scheduled_at")
    ] + [
        (when, "unpublish", pk)
        for pk, when in Article.objects.filter(unpublish_at__lte=now).values_list(
            "pk", "unpublish_at"
        )
    ]
    done = []
    for _when, action, pk in sorted(due):
        with transaction.atomic():
            article = Article.objects.select_for_update().get(pk=pk)
            if action == "publish" and not (
                article.status == Status.APPROVED and article.scheduled_at
            ):
                continue  # cancelled or edited meanwhile
            if action == "unpublish" and not article.unpublish_at:
                continue
            if action == "publish" and _address_taken(article):
                continue  # another article went live at its address meanwhile
            _take_step(article, None, action, "Scheduled", now)
            done.append((action, article))
    return done
