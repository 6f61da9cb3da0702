"""The one review workflow that articles and changes to facts go through.

Draft → in review → approved → published. Each step is a ``Transition``: who may
take it (a permission), from which states, and whether it needs a comment. The
rules every step obeys are checked in one place (``check``):

- the user has the step's permission, and the subject is in a state it starts from;
- a request for changes says what to change;
- no one who wrote or edited any part of what is under review may approve it.

A subject is an ``Article`` or a ``Proposal``; its service tells ``check`` who
edited it, and how, so that a refusal can say why. What a step does to its subject
(taking a live copy, applying changes to the facts) belongs to the subject's own
service.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Protocol


class TransitionRefused(Exception):
    """The user may not make this transition now; the message says why."""


class Reviewable(Protocol):
    status: str

    def get_status_display(self) -> str: ...


@dataclass(frozen=True)
class Transition:
    action: str
    label: str
    source: tuple[str, ...]
    target: str
    permission: str
    needs_comment: bool = False
    needs_live: bool = False
    # Taken by reviewers: refused to anyone who edited what is under review.
    independent: bool = False
    # How the log names the step once taken ("Sent for medical review"); the
    # button's label if empty.
    done: str = ""
    # Possible only while this holds of the subject (something is scheduled, say).
    condition: Callable[[Any], bool] | None = None

    def allowed_from(self, subject) -> bool:
        if self.condition is not None and not self.condition(subject):
            return False
        if self.needs_live:
            return subject.published_at is not None
        return subject.status in self.source


def workflow(
    *, app: str, model: str, draft: str, in_review: str, approved: str, published: str
) -> dict[str, Transition]:
    """The review steps of one kind of subject, with its permission names."""
    return {
        t.action: t
        for t in [
            Transition(
                "submit", "Send for medical review", (draft,), in_review,
                f"{app}.submit_{model}", done="Sent for medical review",
            ),
            Transition(
                "request_changes", "Request changes", (in_review,), draft,
                f"{app}.review_{model}", needs_comment=True,
                done="Changes requested",
            ),
            Transition(
                "approve", "Approve", (in_review,), approved,
                f"{app}.review_{model}", independent=True, done="Approved",
            ),
            Transition(
                "publish", "Publish", (approved,), published,
                f"{app}.publish_{model}", done="Published",
            ),
        ]
    }  # fmt: skip


def log_label(
    transitions: Mapping[str, Transition],
    action: str,
    logged: Mapping[str, str] | None = None,
) -> str:
    """How a log names a step: "Changes requested", never ``request_changes``.

    ``logged`` names what is logged without being a button of its own (an edit).
    """
    if logged and action in logged:
        return logged[action]
    if (transition := transitions.get(action)) is not None:
        return transition.done or transition.label
    return action.replace("_", " ").capitalize()


def available(
    transitions: dict[str, Transition], subject, user, *, editors: Mapping[int, str]
) -> list[Transition]:
    """The steps this user may take on this subject now.

    ``editors`` maps each user who wrote or edited what is under review to how.
    """
    return [
        t
        for t in transitions.values()
        if t.allowed_from(subject)
        and user.has_perm(t.permission)
        and not (t.independent and user.pk in editors)
    ]


def check(
    transitions: dict[str, Transition],
    subject: Reviewable,
    user,
    action: str,
    comment: str,
    *,
    editors: Mapping[int, str],
) -> Transition:
    """The step asked for, if the user may take it now; else ``TransitionRefused``."""
    transition = transitions.get(action)
    if transition is None:
        raise TransitionRefused(f"There is no action called {action!r}.")
    if not user.has_perm(transition.permission):
        raise TransitionRefused(
            f"You do not have permission to {transition.label.lower()}."
        )
    if not transition.allowed_from(subject):
        raise TransitionRefused(
            f"“{subject}” is {subject.get_status_display().lower()}: "
            f"“{transition.label}” is not possible from there."
        )
    if transition.needs_comment and not comment.strip():
        raise TransitionRefused("Say what needs to change: a comment is required.")
    if transition.independent and user.pk in editors:
        raise TransitionRefused(
            f"You cannot {transition.label.lower()} “{subject}”: "
            f"{editors[user.pk]}. No one who wrote or edited any part of what is "
            "under review may approve it: another medical reviewer must approve it."
        )
    return transition
