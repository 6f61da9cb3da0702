"""The editorial workflow's own records: who reviews, and each step an article took.

The tables keep the names they had when these models lived in the knowledge app.
"""

from django.conf import settings
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
        return f"{self.article}: {self.from_status} → {self.to_status} ({self.user})"
