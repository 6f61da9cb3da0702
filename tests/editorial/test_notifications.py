"""Email to the people a workflow step leaves waiting, sent once the step commits."""

import logging
import socket

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.db import transaction
from django.urls import reverse

from editorial.proposals import (
    proposal_in_progress,
    proposal_record,
    proposal_transition,
)
from editorial.services import article_transition
from knowledge.models import Article, Cause

pytestmark = pytest.mark.django_db


@pytest.fixture
def addresses(author, reviewer, publisher):
    for user in (author, reviewer, publisher):
        user.email = f"{user.username}@example.org"
        user.save()


def recipients() -> list[str]:
    return sorted(address for message in mail.outbox for address in message.to)


def with_address(make_user, name: str, group: str):
    user = make_user(name, group)
    user.email = f"{name}@example.org"
    user.save()
    return user


def test_sending_for_review_emails_each_reviewer_once_the_step_commits(
    draft, author, reviewer, addresses, commit, make_user, settings
):
    with_address(make_user, "second-reviewer", "Medical reviewers")
    away = with_address(make_user, "away-reviewer", "Medical reviewers")
    away.is_active = False
    away.save()
    make_user("no-address", "Medical reviewers")
    with commit():
        article_transition(article=draft, user=author, action="submit")
        assert mail.outbox == []  # nothing before the commit
    assert recipients() == ["reviewer@example.org", "second-reviewer@example.org"]
    assert all(len(message.to) == 1 for message in mail.outbox)  # no one sees others
    message = mail.outbox[0]
    assert message.subject == "Waiting for your medical review: “Eyelid twitching”"
    url = reverse("admin:knowledge_article_change", args=[draft.pk])
    assert f"{settings.SITE_URL}{url}" in message.body
    assert "author sent the article “Eyelid twitching” for medical review" in (
        message.body
    )


def test_a_reviewer_who_edited_the_article_is_not_asked_to_approve_it(
    draft, author, reviewer, addresses, commit, make_user
):
    both = with_address(make_user, "both", "Authors")
    both.groups.add(Group.objects.get(name="Medical reviewers"))
    draft.body += "\n\nA paragraph by the author who also reviews."
    draft._history_user = both
    draft.save()
    with commit():
        article_transition(article=draft, user=author, action="submit")
    assert recipients() == ["reviewer@example.org"]


def test_approval_emails_the_publishers(
    draft, author, reviewer, publisher, addresses, commit
):
    article_transition(article=draft, user=author, action="submit")
    mail.outbox.clear()
    with commit():
        article_transition(
            article=draft, user=reviewer, action="approve", comment="Reads well."
        )
    assert recipients() == ["publisher@example.org"]
    assert mail.outbox[0].subject == (
        "Approved, waiting to be published: “Eyelid twitching”"
    )
    assert "Reads well." in mail.outbox[0].body


def test_a_request_for_changes_emails_whoever_wrote_the_article(
    draft, author, reviewer, addresses, commit, make_user
):
    bystander = with_address(make_user, "bystander", "Authors")
    draft.body += "\n\nThe author's paragraph."
    draft._history_user = author
    draft.save()
    article_transition(article=draft, user=author, action="submit")
    with commit():
        article_transition(
            article=draft,
            user=reviewer,
            action="request_changes",
            comment="Cite the magnesium figure.",
        )
    assert recipients() == ["author@example.org"]
    assert bystander.email not in recipients()
    message = mail.outbox[-1]
    assert message.subject == "Changes requested: “Eyelid twitching”"
    assert "What to change:\nCite the magnesium figure." in message.body


def test_changes_to_an_article_no_one_is_known_to_have_written_go_to_every_author(
    knowledge_base, reviewer, commit, make_user
):
    article = Article.objects.order_by("pk").first()  # loaded, never edited here
    Article.objects.filter(pk=article.pk).update(status=Article.Status.IN_REVIEW)
    article.refresh_from_db()
    writers = [with_address(make_user, f"writer-{n}", "Authors") for n in (1, 2)]
    with commit():
        article_transition(
            article=article, user=reviewer, action="request_changes", comment="Why?"
        )
    assert recipients() == sorted(user.email for user in writers)


def test_a_step_that_is_rolled_back_tells_no_one(
    draft, author, reviewer, addresses, commit
):
    with commit():
        with pytest.raises(RuntimeError), transaction.atomic():
            article_transition(article=draft, user=author, action="submit")
            raise RuntimeError("something after the step failed")
    assert mail.outbox == []
    draft.refresh_from_db()
    assert draft.status == Article.Status.DRAFT


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]  # nothing listens there once it is closed


def test_a_mail_server_that_is_down_loses_the_email_not_the_step(
    draft, author, reviewer, addresses, commit, settings, caplog
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", closed_port()
    settings.EMAIL_TIMEOUT = 5
    with caplog.at_level(logging.ERROR, logger="editorial.notifications"), commit():
        article_transition(article=draft, user=author, action="submit")
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW
    assert "Could not send 1 workflow email(s)" in caplog.text


def test_a_proposal_tells_the_same_people(
    knowledge_base, author, reviewer, publisher, commit
):
    for user in (author, reviewer, publisher):
        user.email = f"{user.username}@example.org"
        user.save()
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
    steps = [
        (author, "submit", "", ["reviewer@example.org"]),
        (reviewer, "request_changes", "Say why.", ["author@example.org"]),
        (author, "submit", "", ["reviewer@example.org"]),
        (reviewer, "approve", "", ["publisher@example.org"]),
    ]
    for user, action, comment, expected in steps:
        mail.outbox.clear()
        with commit():
            proposal_transition(
                proposal=proposal, user=user, action=action, comment=comment
            )
        assert recipients() == expected, action
    message = mail.outbox[0]
    assert message.subject == f"Approved, waiting to be published: “{proposal}”"
    assert "proposal of changes to the facts" in message.body
    assert reverse("admin:editorial_proposal_review", args=[proposal.pk]) in (
        message.body
    )
