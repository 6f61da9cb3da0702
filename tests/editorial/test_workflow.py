"""The shared workflow: steps possible only while a condition holds, and the words
a log names each step with."""

from types import SimpleNamespace

import pytest

from editorial.workflow import Transition, TransitionRefused, check, log_label, workflow

STEPS = {
    **workflow(
        app="knowledge",
        model="article",
        draft="draft",
        in_review="in_review",
        approved="approved",
        published="published",
    ),
    "cancel": Transition(
        "cancel",
        "Cancel the schedule",
        ("approved",),
        "approved",
        "knowledge.publish_article",
        condition=lambda subject: subject.scheduled,
    ),
}


class Everyone:
    pk = 1

    def has_perm(self, permission: str) -> bool:
        return True


def subject(*, scheduled: bool = False):
    return SimpleNamespace(
        status="approved", scheduled=scheduled, get_status_display=lambda: "Approved"
    )


def test_a_step_with_a_condition_is_possible_only_while_it_holds():
    with pytest.raises(TransitionRefused, match="is not possible from there"):
        check(STEPS, subject(), Everyone(), "cancel", "", editors={})
    assert check(STEPS, subject(scheduled=True), Everyone(), "cancel", "", editors={})


@pytest.mark.parametrize(
    ("action", "words"),
    [
        ("submit", "Sent for medical review"),
        ("request_changes", "Changes requested"),
        ("approve", "Approved"),
        ("publish", "Published"),
        ("cancel", "Cancel the schedule"),  # no words of its own: its button's
        ("edit", "Edited: a new draft"),  # logged without a button
        ("recertify_everything", "Recertify everything"),  # unknown: still words
    ],
)
def test_a_log_names_each_step_in_words(action, words):
    assert log_label(STEPS, action, {"edit": "Edited: a new draft"}) == words
