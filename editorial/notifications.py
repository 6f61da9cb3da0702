"""Email to the people a workflow step leaves waiting.

Sending an article or a proposal for review tells the medical reviewers who may
approve it; approving it tells the publishers; asking for changes tells whoever
wrote or edited what was reviewed. Each gets a message of their own, through
Django's email backend (the console in development, SMTP in production: see the
``EMAIL_*`` settings), once the step's transaction commits: a step that is rolled
back tells no one. A mail server that is down or refuses loses the email, never
the step: the failure is logged.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse

from editorial.workflow import Transition

logger = logging.getLogger(__name__)

# Who holds a permission, by their groups and their own permissions (not by being
# a superuser: an administrator is not a medical reviewer).
PERMISSION_BACKEND = "django.contrib.auth.backends.ModelBackend"

SUBJECTS = {
    "submit": "Waiting for your medical review: “{subject}”",
    "approve": "Approved, waiting to be published: “{subject}”",
    "request_changes": "Changes requested: “{subject}”",
}


def users_with_permission(permission: str) -> QuerySet:
    return get_user_model().objects.with_perm(
        permission,
        is_active=True,
        include_superusers=False,
        backend=PERMISSION_BACKEND,
    )


def step_recipients(
    *,
    transitions: Mapping[str, Transition],
    action: str,
    actor,
    editors: Mapping[int, str],
) -> list:
    """Who the step ``actor`` just took leaves waiting, never the actor.

    ``editors`` are those who wrote or edited what is under review: a sent article
    waits for a reviewer who is none of them; changes requested wait for them, or,
    where no one is known to have written it, for every author.
    """
    User = get_user_model()
    if action == "submit":
        users = users_with_permission(transitions["approve"].permission).exclude(
            pk__in=list(editors)
        )
    elif action == "approve":
        users = users_with_permission(transitions["publish"].permission)
    elif action == "request_changes":
        users = User.objects.filter(pk__in=list(editors), is_active=True)
        if not users.exclude(pk=actor.pk).exists():
            users = users_with_permission(transitions["submit"].permission)
    else:
        return []
    return list(users.exclude(pk=actor.pk).distinct().order_by("username"))


def step_notify(
    *,
    recipients: Iterable,
    action: str,
    subject,
    kind: str,
    actor,
    comment: str,
    path: str,
) -> None:
    """Email each recipient with an address what waits for them, on commit.

    ``kind`` names the subject in the text ("article"); ``path`` is its page.
    """
    if action not in SUBJECTS:
        return
    context = {
        "action": action,
        "subject": str(subject),
        "kind": kind,
        "actor": actor,
        "comment": comment,
        "url": f"{settings.SITE_URL}{path}",
        "waiting_url": settings.SITE_URL + reverse("admin:knowledge_article_waiting"),
    }
    messages = [
        EmailMessage(
            subject=SUBJECTS[action].format(subject=subject),
            body=render_to_string(
                "editorial/email/step.txt", {**context, "recipient": user}
            ),
            to=[user.email],
        )
        for user in recipients
        if user.email
    ]
    if messages:
        transaction.on_commit(lambda: _send(messages))


def _send(messages: list[EmailMessage]) -> None:
    try:
        get_connection().send_messages(messages)
    except OSError:  # SMTP errors included: the step is taken, whatever the mail
        logger.exception(
            "Could not send %d workflow email(s): %s",
            len(messages),
            ", ".join(message.subject for message in messages),
        )
