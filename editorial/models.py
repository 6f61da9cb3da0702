"""The editorial workflow's records: reviewers, the steps articles and proposals
took, the changes reviewers asked for, and the proposed changes to the facts that
wait for review.

ReviewerProfile and ArticleTransition keep the table names they had when they
lived in the knowledge app.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone

from knowledge.models import Article


class ReviewerProfile(models.Model):
    """How a medical reviewer is named on the pages they review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    name = models.CharField(max_length=120, help_text="e.g. Dr Jane Smith")
    credential = models.CharField(max_length=120, help_text="e.g. MD, neurologist")

    class Meta:
        db_table = "knowledge_reviewerprofile"

    def __str__(self) -> str:
        return f"{self.name}, {self.credential}"


class ArticleTransition(models.Model):
    """One step of an article through the workflow: who, when, from, to, why."""

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="transitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Article.Status)
    to_status = models.CharField(max_length=20, choices=Article.Status)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        db_table = "knowledge_articletransition"
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _step_str(self, self.article)


def _step_str(step, subject) -> str:
    """A logged step as people read it: "Eyelid twitching: Draft → In review (jane)"."""
    who = step.user or "the schedule"
    moved = f"{step.get_from_status_display()} → {step.get_to_status_display()}"
    return f"{subject}: {moved} ({who})"


class ChangeRequestQuerySet(models.QuerySet):
    def open(self) -> ChangeRequestQuerySet:
        return self.filter(dealt_with_at__isnull=True)


class ChangeRequest(models.Model):
    """A reviewer's request for changes to an article, open until it is dealt with.

    While open it stands at the top of the article's page and in the queue of each
    person it is addressed to (who wrote or edited the version reviewed). Sending
    the article for review again deals with it, or someone marks it dealt with.
    """

    request = models.OneToOneField(
        ArticleTransition, on_delete=models.CASCADE, related_name="change_request"
    )
    addressed_to = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="change_requests", blank=True
    )
    dealt_with_at = models.DateTimeField(null=True, blank=True)
    dealt_with_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = ChangeRequestQuerySet.as_manager()

    class Meta:
        ordering = ["-pk"]

    def __str__(self) -> str:
        return f"Changes requested for “{self.request.article}”"


class Proposal(models.Model):
    """Changes to the facts (causes, nutrients, foods, evidence...), reviewed as one.

    Readers see none of it until it is published: the knowledge base's tables hold
    only what was published, and a proposal's changes wait in ``ProposedChange``.
    """

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    title = models.CharField(
        max_length=200, help_text="What the change is about, for the reviewers."
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="proposals",
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-updated_at", "-pk"]
        permissions = [
            ("submit_proposal", "Can send a change to the facts for medical review"),
            ("review_proposal", "Can approve a change to the facts or ask for more"),
            ("publish_proposal", "Can publish an approved change to the facts"),
        ]

    def __str__(self) -> str:
        return self.title


class ProposedChange(models.Model):
    """One fact created, changed or deleted by a proposal, as it will be published.

    ``data`` holds the fields' proposed values (a foreign key as the key of the row,
    or ``"new:<change>"`` for a row another change of the same proposal creates);
    ``base`` the published values of the same fields when the change was made, so
    that the reviewer sees the difference and publishing can tell whether someone
    changed the fact meanwhile.
    """

    class Action(models.TextChoices):
        CREATE = "create", "Add"
        UPDATE = "update", "Change"
        DELETE = "delete", "Remove"

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="changes"
    )
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.PositiveBigIntegerField(
        null=True,
        blank=True,
        help_text="The fact changed or removed; once published, the fact added.",
    )
    action = models.CharField(max_length=10, choices=Action)
    data = models.JSONField(default=dict, blank=True)
    base = models.JSONField(default=dict, blank=True)
    edited_by = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["proposal", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(action="create") | models.Q(object_id__isnull=False),
                name="proposedchange_names_its_fact",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_action_display()} {self.content_type.name}"

    @property
    def ref(self) -> str:
        """How other changes of the proposal refer to the row this one adds."""
        return f"new:{self.pk}"


class ProposalTransition(models.Model):
    """One step of a proposal through the workflow: who, when, from, to, why."""

    proposal = models.ForeignKey(
        Proposal, on_delete=models.CASCADE, related_name="transitions"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True
    )
    action = models.CharField(max_length=30)
    from_status = models.CharField(max_length=20, choices=Proposal.Status)
    to_status = models.CharField(max_length=20, choices=Proposal.Status)
    comment = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return _step_str(self, self.proposal)
