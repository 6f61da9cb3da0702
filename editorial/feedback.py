"""Feedback to the people who write: requests for changes, and what waits for whom.

A reviewer's request for changes (``ChangeRequest``) is addressed to whoever wrote
or edited what was reviewed. It stays open at the top of the article's page, and
in the queue of each person it is addressed to, until the article is sent for
review again or someone marks it dealt with (both steps of ``editorial.services``).

``queues_for`` is a person's "Waiting for you" page: their articles sent back,
and what their roles can act on now, articles and proposals. Each queue is one
query, however long it is.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.db.models import OuterRef, Q, QuerySet, Subquery
from django.urls import reverse
from django.utils import dateformat, timezone

from editorial.models import (
    ArticleTransition,
    ChangeRequest,
    Proposal,
    ProposalTransition,
)
from knowledge.models import Article


def when(value: datetime) -> str:
    """A time as the editors' pages and emails write it, with its zone."""
    return dateformat.format(timezone.localtime(value), "j F Y, H:i T")


def open_change_requests(article: Article) -> QuerySet[ChangeRequest]:
    """The article's requests for changes not yet dealt with, oldest first."""
    return (
        ChangeRequest.objects.open()
        .filter(request__article=article)
        .select_related("request__user")
        .order_by("request__created_at", "pk")
    )


def change_request_open(
    *, request: ArticleTransition, addressed_to: Iterable
) -> ChangeRequest:
    """Record a request for changes (the logged step) and whom it waits for."""
    change_request = ChangeRequest.objects.create(request=request)
    change_request.addressed_to.set(addressed_to)
    return change_request


def change_requests_close(*, article: Article, user, when: datetime) -> int:
    """Mark the article's open requests for changes as dealt with by ``user``."""
    return (
        ChangeRequest.objects.open()
        .filter(request__article=article)
        .update(dealt_with_at=when, dealt_with_by=user)
    )


@dataclass(frozen=True)
class Item:
    title: str
    url: str
    note: str


@dataclass(frozen=True)
class Queue:
    title: str
    items: list[Item]


def _article_url(pk: int) -> str:
    return reverse("admin:knowledge_article_change", args=[pk])


def _proposal_url(pk: int) -> str:
    return reverse("admin:editorial_proposal_review", args=[pk])


def _articles(queryset: QuerySet[Article]) -> list[Item]:
    rows = queryset.order_by("updated_at", "pk").values_list(
        "pk", "title", "updated_at"
    )
    return [
        Item(title, _article_url(pk), f"updated {when(updated)}")
        for pk, title, updated in rows
    ]


def _proposals(queryset: QuerySet[Proposal]) -> list[Item]:
    rows = queryset.select_related("author").order_by("updated_at", "pk")
    return [
        Item(
            proposal.title,
            _proposal_url(proposal.pk),
            f"by {proposal.author}, updated {when(proposal.updated_at)}",
        )
        for proposal in rows
    ]


def _sent_back(user) -> list[Item]:
    requests = (
        ChangeRequest.objects.open()
        .filter(addressed_to=user)
        .select_related("request__article", "request__user")
        .order_by("request__created_at", "pk")
    )
    return [
        Item(
            cr.request.article.title,
            _article_url(cr.request.article_id),
            f"{cr.request.user or 'A reviewer'} on {when(cr.request.created_at)}: "
            f"{cr.request.comment}",
        )
        for cr in requests
    ]


def _scheduled() -> list[Item]:
    rows = Article.objects.filter(
        Q(status=Article.Status.APPROVED, scheduled_at__isnull=False)
        | Q(unpublish_at__isnull=False)
    ).values_list("pk", "title", "status", "scheduled_at", "unpublish_at")
    timed = []
    for pk, title, status, publish_at, unpublish_at in rows:
        times, parts = [], []
        if status == Article.Status.APPROVED and publish_at:
            times.append(publish_at)
            parts.append(f"goes live on {when(publish_at)}")
        if unpublish_at:
            times.append(unpublish_at)
            parts.append(f"leaves the site on {when(unpublish_at)}")
        timed.append(
            (min(times), title, Item(title, _article_url(pk), "; ".join(parts)))
        )
    return [item for *_key, item in sorted(timed, key=lambda row: row[:2])]


def _proposals_sent_back(user) -> list[Item]:
    last_step = (
        ProposalTransition.objects.filter(proposal=OuterRef("pk"))
        .order_by("-created_at", "-pk")
        .values("action")[:1]
    )
    return _proposals(
        Proposal.objects.filter(author=user, status=Proposal.Status.DRAFT)
        .annotate(last_step=Subquery(last_step))
        .filter(last_step="request_changes")
    )


def queues_for(*, user) -> list[Queue]:
    """What waits for this person: their work sent back, then what their roles can
    act on. A queue a role does not see is left out; one it sees stays, if empty."""
    Status = Article.Status
    queues = []
    sent_back = _sent_back(user)
    if sent_back or user.has_perm("knowledge.submit_article"):
        queues.append(Queue("Changes requested on your articles", sent_back))
    if user.has_perm("knowledge.submit_article"):
        queues.append(
            Queue(
                "Drafts to finish and send for review",
                _articles(Article.objects.filter(status=Status.DRAFT)),
            )
        )
    if user.has_perm("editorial.submit_proposal"):
        queues.append(
            Queue(
                "Your proposals sent back with changes requested",
                _proposals_sent_back(user),
            )
        )
    if user.has_perm("knowledge.review_article"):
        queues.append(
            Queue(
                "Waiting for your medical review",
                _articles(Article.objects.filter(status=Status.IN_REVIEW)),
            )
        )
    if user.has_perm("editorial.review_proposal"):
        queues.append(
            Queue(
                "Proposals waiting for your medical review",
                _proposals(Proposal.objects.filter(status=Proposal.Status.IN_REVIEW)),
            )
        )
    if user.has_perm("knowledge.publish_article"):
        approved = Article.objects.filter(
            status=Status.APPROVED, scheduled_at__isnull=True
        )
        queues.append(Queue("Approved, waiting to be published", _articles(approved)))
        queues.append(Queue("Scheduled", _scheduled()))
    if user.has_perm("editorial.publish_proposal"):
        queues.append(
            Queue(
                "Approved proposals, waiting to be published",
                _proposals(Proposal.objects.filter(status=Proposal.Status.APPROVED)),
            )
        )
    return queues
