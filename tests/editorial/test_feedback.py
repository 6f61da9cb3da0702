"""Requests for changes stay open until dealt with; each person has their queue."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from editorial.feedback import open_change_requests, queues_for
from editorial.models import ChangeRequest
from editorial.proposals import (
    proposal_in_progress,
    proposal_record,
    proposal_transition,
)
from editorial.services import (
    TransitionRefused,
    article_transition,
    article_transitions_for,
)
from knowledge.models import Article, Cause
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def queue(user, title: str) -> list[str]:
    """The titles in one of the user's queues; a queue they do not have is None."""
    for found in queues_for(user=user):
        if found.title == title:
            return [item.title for item in found.items]
    return None


SENT_BACK = "Changes requested on your articles"


def written_by(article: Article, user) -> Article:
    article.body += f"\n\nA paragraph by {user}."
    article._history_user = user
    article.save()
    return article


def send_back(article, author, reviewer, comment="Cite the magnesium figure."):
    article_transition(article=article, user=author, action="submit")
    article_transition(
        article=article, user=reviewer, action="request_changes", comment=comment
    )


def test_a_request_for_changes_waits_for_its_writers_until_sent_again(
    draft, author, reviewer, make_user
):
    colleague = make_user("colleague", "Authors")
    send_back(written_by(draft, author), author, reviewer)
    [request] = open_change_requests(draft)
    assert request.request.comment == "Cite the magnesium figure."
    assert list(request.addressed_to.all()) == [author]
    assert queue(author, SENT_BACK) == ["Eyelid twitching"]
    assert queue(colleague, SENT_BACK) == []
    assert queue(reviewer, SENT_BACK) is None  # a reviewer with nothing sent back

    article_transition(article=draft, user=author, action="submit")
    assert not open_change_requests(draft).exists()
    request.refresh_from_db()
    assert request.dealt_with_by == author and request.dealt_with_at is not None
    assert queue(author, SENT_BACK) == []


def test_the_writer_marks_requested_changes_dealt_with(draft, author, reviewer):
    def steps(user) -> list[str]:
        return [t.action for t in article_transitions_for(article=draft, user=user)]

    assert "dealt_with" not in steps(author)  # nothing was requested
    send_back(written_by(draft, author), author, reviewer)
    assert "dealt_with" in steps(author) and "dealt_with" not in steps(reviewer)
    article_transition(article=draft, user=author, action="dealt_with")
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT
    assert not open_change_requests(draft).exists()
    assert draft.transitions.first().action == "dealt_with"
    assert "dealt_with" not in steps(author)
    with pytest.raises(TransitionRefused, match="not possible"):
        article_transition(article=draft, user=author, action="dealt_with")


def test_each_role_sees_what_it_can_act_on(author, reviewer, publisher, draft):
    soon = timezone.now() + timedelta(hours=3)
    ArticleFactory(title="Under review", status=Article.Status.IN_REVIEW)
    ArticleFactory(title="Ready", status=Article.Status.APPROVED, published_at=None)
    timed = ArticleFactory(
        title="Timed", status=Article.Status.APPROVED, published_at=None
    )
    Article.objects.filter(pk=timed.pk).update(scheduled_at=soon)
    leaving = ArticleFactory(title="Leaving")
    Article.objects.filter(pk=leaving.pk).update(unpublish_at=soon)

    assert queue(author, "Drafts to finish and send for review") == ["Eyelid twitching"]
    assert queue(author, "Waiting for your medical review") is None
    assert queue(reviewer, "Waiting for your medical review") == ["Under review"]
    assert queue(reviewer, "Drafts to finish and send for review") is None
    assert queue(publisher, "Approved, waiting to be published") == ["Ready"]
    scheduled = {
        found.title: found
        for found in queues_for(user=publisher)
        if found.title == "Scheduled"
    }["Scheduled"].items
    assert [item.title for item in scheduled] == ["Leaving", "Timed"]
    assert scheduled[1].note.startswith("goes live on ")
    assert scheduled[1].note.endswith(" UTC")
    assert scheduled[0].note.startswith("leaves the site on ")


def test_proposals_wait_in_the_same_queues(knowledge_base, author, reviewer):
    proposal = proposal_in_progress(user=author)
    cause = Cause.objects.order_by("pk").first()
    proposal_record(
        proposal=proposal,
        user=author,
        model=Cause,
        action="update",
        data={"name": "A better name"},
        object_id=cause.pk,
    )
    proposal_transition(proposal=proposal, user=author, action="submit")
    waiting = "Proposals waiting for your medical review"
    assert queue(reviewer, waiting) == [proposal.title]
    proposal_transition(
        proposal=proposal, user=reviewer, action="request_changes", comment="Why?"
    )
    assert queue(reviewer, waiting) == []
    sent_back = "Your proposals sent back with changes requested"
    assert queue(author, sent_back) == [proposal.title]


def queries_for(user) -> int:
    user = type(user).objects.get(pk=user.pk)  # as a request has it: no cache yet
    with CaptureQueriesContext(connection) as queries:
        queues_for(user=user)
    return len(queries)


def test_a_queue_costs_the_same_queries_with_3_or_30_rows(
    author, reviewer, publisher, make_user
):
    everyone = make_user("everyone", "Authors")
    for group in ("Medical reviewers", "Publishers"):
        everyone.groups.add(everyone.groups.model.objects.get(name=group))

    def fill(count: int) -> None:
        for status in Article.Status:
            for _ in range(count):
                live = status == Article.Status.PUBLISHED
                article = ArticleFactory(
                    status=status, published_at=timezone.now() if live else None
                )
                if status == Article.Status.IN_REVIEW:
                    article.refresh_from_db()
                    article_transition(
                        article=article,
                        user=reviewer,
                        action="request_changes",
                        comment="More.",
                    )
                    open_change_requests(article).get().addressed_to.add(everyone)

    fill(1)
    few = queries_for(everyone)
    fill(9)
    assert ChangeRequest.objects.open().count() == 10
    assert queries_for(everyone) == few
