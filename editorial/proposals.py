"""Changes to the facts, under review: propose, review, publish.

An editor's saves of causes, nutrients, foods, evidence and the rest are written
down in their draft proposal (``proposal_record``), never to the knowledge base.
A proposal goes through the same workflow as an article (``editorial.workflow``):
an author sends it for review, a medical reviewer who edited none of it approves
it, a publisher publishes it. Publishing applies every change at once, in one
transaction, or none of them (``proposal_publish``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.urls import reverse
from django.utils import timezone

from editorial import facts, notifications, workflow
from editorial.models import Proposal, ProposalTransition, ProposedChange
from editorial.workflow import Transition, TransitionRefused
from knowledge.models import Article
from knowledge.passages import PassageNotFound, locate

Status = Proposal.Status
Action = ProposedChange.Action

TRANSITIONS = workflow.workflow(
    app="editorial",
    model="proposal",
    draft=Status.DRAFT,
    in_review=Status.IN_REVIEW,
    approved=Status.APPROVED,
    published=Status.PUBLISHED,
)


def proposal_in_progress(*, user) -> Proposal:
    """The user's draft proposal, begun if they have none."""
    proposal = (
        Proposal.objects.filter(author=user, status=Status.DRAFT)
        .order_by("-updated_at", "-pk")
        .first()
    )
    if proposal is None:
        stamp = timezone.localtime().strftime("%d %B %Y")
        proposal = Proposal.objects.create(
            author=user, title=f"Changes to the facts by {user} on {stamp}"
        )
    return proposal


@transaction.atomic
def proposal_record(
    *,
    proposal: Proposal,
    user,
    model: type[models.Model],
    action: str,
    data: dict[str, Any] | None = None,
    object_id: int | None = None,
) -> ProposedChange:
    """Write down one change to a fact in a draft proposal.

    A second change to a fact already changed in the proposal is folded into the
    first: a reviewer sees one change per fact, against what readers see now.
    """
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    if proposal.status != Status.DRAFT:
        raise TransitionRefused(
            f"“{proposal}” is {proposal.get_status_display().lower()}: only a draft "
            "can change. Ask the reviewer to send it back, or start another."
        )
    if not facts.is_fact(model):
        raise TransitionRefused(f"{model._meta.verbose_name} is not a fact.")
    data = data or {}
    content_type = ContentType.objects.get_for_model(model)
    change = None
    if object_id is not None:
        change = proposal.changes.filter(
            content_type=content_type, object_id=object_id
        ).first()
        live = model._default_manager.filter(pk=object_id).first()
        if live is None:
            raise TransitionRefused("That fact is no longer there.")
    if action == Action.CREATE:
        change = ProposedChange(proposal=proposal, content_type=content_type)
        change.action, change.data, change.base = Action.CREATE, data, {}
    elif action == Action.UPDATE:
        base = facts.serialise(live, list(data))
        if change is None or change.action == Action.DELETE:
            change = change or ProposedChange(
                proposal=proposal, content_type=content_type, object_id=object_id
            )
            change.action, change.data, change.base = Action.UPDATE, data, base
        else:
            change.data = {**change.data, **data}
            change.base = {**base, **change.base}
        # Fields set back to what readers see are no change at all.
        change.data = {k: v for k, v in change.data.items() if change.base[k] != v}
        change.base = {k: change.base[k] for k in change.data}
        if not change.data:
            if change.pk:
                change.delete()
            return change
    elif action == Action.DELETE:
        change = change or ProposedChange(
            proposal=proposal, content_type=content_type, object_id=object_id
        )
        change.action, change.data = Action.DELETE, {}
        change.base = facts.serialise(live)
    else:
        raise TransitionRefused(f"There is no change called {action!r}.")
    change.save()
    change.edited_by.add(user)
    proposal.save(update_fields=["updated_at"])
    return change


def proposal_editors(proposal: Proposal) -> dict[int, str]:
    """Who wrote any part of the proposal, or sent it for review, each with how."""
    editors = {proposal.author_id: "you wrote it"}
    for user_id in ProposedChange.edited_by.through.objects.filter(
        proposedchange__proposal=proposal
    ).values_list("user", flat=True):
        editors.setdefault(user_id, "you wrote or edited one of its changes")
    for user_id in (
        proposal.transitions.filter(action="submit")
        .exclude(user=None)
        .values_list("user", flat=True)
    ):
        editors.setdefault(user_id, "you sent it for review")
    return editors


def proposal_transitions_for(*, proposal: Proposal, user) -> list[Transition]:
    return workflow.available(
        TRANSITIONS, proposal, user, editors=proposal_editors(proposal)
    )


@transaction.atomic
def proposal_transition(
    *, proposal: Proposal, user, action: str, comment: str = ""
) -> Proposal:
    """Move a proposal through the workflow, or refuse with a reason."""
    proposal = Proposal.objects.select_for_update().get(pk=proposal.pk)
    editors = proposal_editors(proposal)
    transition = workflow.check(
        TRANSITIONS, proposal, user, action, comment, editors=editors
    )
    comment = comment.strip()
    if action == "submit" and not proposal.changes.exists():
        raise TransitionRefused("This proposal changes nothing yet.")
    now = timezone.now()
    previous = proposal.status
    if action == "approve":
        proposal.reviewed_by, proposal.reviewed_at = user, now
        proposal.review_comment = comment
    elif action == "publish":
        apply_changes(proposal)
        proposal.published_by, proposal.published_at = user, now
    proposal.status = transition.target
    proposal.save()
    ProposalTransition.objects.create(
        proposal=proposal,
        user=user,
        action=action,
        from_status=previous,
        to_status=proposal.status,
        comment=comment,
        created_at=now,
    )
    notifications.step_notify(
        recipients=notifications.step_recipients(
            transitions=TRANSITIONS, action=action, actor=user, editors=editors
        ),
        action=action,
        subject=proposal,
        kind="proposal of changes to the facts",
        actor=user,
        comment=comment,
        path=reverse("admin:editorial_proposal_review", args=[proposal.pk]),
    )
    return proposal


def proposal_log_label(step: ProposalTransition) -> str:
    """How the log names a step: "Changes requested", never ``request_changes``."""
    return workflow.log_label(TRANSITIONS, step.action)


def apply_changes(proposal: Proposal) -> None:
    """Write every change of the proposal to the knowledge base, or none."""
    created: dict[str, int] = {}
    for change in proposal.changes.select_related("content_type").order_by("pk"):
        model = change.content_type.model_class()
        label = f"{change.get_action_display()} {model._meta.verbose_name}"
        if change.action == Action.CREATE:
            obj = model()
        else:
            obj = model._default_manager.filter(pk=change.object_id).first()
            if obj is None:
                raise TransitionRefused(f"{label}: it was removed meanwhile.")
            if facts.serialise(obj, list(change.base)) != change.base:
                raise TransitionRefused(
                    f"{label} “{obj}”: it was changed since this proposal was "
                    "made. Send the proposal back, so that its author can redo it "
                    "against what readers see now."
                )
        if change.action == Action.DELETE:
            obj.delete()
            continue
        facts.assign(obj, change.data, created)
        try:
            obj.full_clean()
        except ValidationError as error:
            messages = "; ".join(error.messages)
            raise TransitionRefused(f"{label} “{obj}”: {messages}") from error
        obj.save()
        if change.action == Action.CREATE:
            created[change.ref] = obj.pk
            change.object_id = obj.pk
            change.save(update_fields=["object_id"])


# -- what a reviewer sees ------------------------------------------------------------


@dataclass
class FieldChange:
    label: str
    published: str
    proposed: str

    @property
    def changed(self) -> bool:
        return self.published != self.proposed


@dataclass
class ChangeReview:
    change: ProposedChange
    model: type[models.Model]
    name: str
    fields: list[FieldChange] = field(default_factory=list)
    passage: dict[str, str] | None = None  # for evidence: the passage in context

    @property
    def verbose_name(self) -> str:
        return str(self.model._meta.verbose_name)


CONTEXT_CHARS = 160


def proposal_review(proposal: Proposal) -> list[ChangeReview]:
    """Each change, field by field: before review, against what readers see now;
    once published, what it changed from and to."""
    applied = proposal.status == Proposal.Status.PUBLISHED
    changes = list(proposal.changes.select_related("content_type").order_by("pk"))
    labels = {change.ref: _name(change) for change in changes}
    reviews = []
    for change in changes:
        model = change.content_type.model_class()
        live = (
            model._default_manager.filter(pk=change.object_id).first()
            if change.object_id and (applied or change.action != Action.CREATE)
            else None
        )
        current = facts.serialise(live) if live is not None else {}
        if applied:
            # ``base`` holds what the changed fields were before it was applied.
            before = (
                {} if change.action == Action.CREATE else {**current, **change.base}
            )
        else:
            before = current
        after = {} if change.action == Action.DELETE else {**before, **change.data}
        existed = change.action != Action.CREATE and (applied or live is not None)
        review = ChangeReview(
            change=change,
            model=model,
            name=str(live) if live else labels[change.ref],
        )
        for fact_field in facts.fields_of(model):
            name = fact_field.name
            if name not in before and name not in after:
                continue
            review.fields.append(
                FieldChange(
                    label=str(fact_field.verbose_name).capitalize(),
                    published=facts.describe(model, name, before.get(name), labels)
                    if existed
                    else "—",
                    proposed=facts.describe(model, name, after.get(name), labels)
                    if change.action != Action.DELETE
                    else "— (removed)",
                )
            )
        if model._meta.label_lower == "knowledge.evidence":
            review.passage = _passage_in_context(live, after or before)
        reviews.append(review)
    return reviews


def _name(change: ProposedChange) -> str:
    for key in ("name", "title", "terms", "passage"):
        if value := change.data.get(key):
            return str(value)[:80]
    return change.content_type.name


def _passage_in_context(live, proposed: dict[str, Any]) -> dict[str, str] | None:
    """The proposed passage as it stands in its document, with text either side."""
    article = (
        Article.objects.select_related("source")
        .filter(pk=proposed.get("article"))
        .first()
    )
    if article is None or article.source is None:
        return None
    text = article.source.text
    try:
        start, end = locate(text, proposed.get("passage", ""))
    except PassageNotFound:
        return {
            "before": "",
            "passage": proposed.get("passage", ""),
            "after": "",
            "document": str(article.source),
            "missing": "yes",
        }
    return {
        "before": text[max(0, start - CONTEXT_CHARS) : start],
        "passage": text[start:end],
        "after": text[end : end + CONTEXT_CHARS],
        "document": str(article.source),
    }


def fact_history(obj: models.Model) -> list[ProposedChange]:
    """The published proposals that made a fact what it is, newest first."""
    content_type = ContentType.objects.get_for_model(obj)
    return list(
        ProposedChange.objects.filter(
            content_type=content_type,
            object_id=obj.pk,
            proposal__status=Status.PUBLISHED,
        )
        .select_related(
            "proposal__author", "proposal__reviewed_by", "proposal__published_by"
        )
        .prefetch_related("edited_by")
        .order_by("-proposal__published_at", "-pk")
    )


def unpublished_sources(proposal: Proposal) -> list[Article]:
    """Articles the proposal quotes that readers cannot see yet."""
    articles = {
        change.data.get("article")
        for change in proposal.changes.select_related("content_type")
        if change.content_type.model == "evidence" and change.action != Action.DELETE
    }
    return list(
        Article.objects.filter(pk__in=articles - {None}).exclude(Article.published_q())
    )
