from django.db import models
from django.db.models import Q


class SourceDocument(models.Model):
    """One of the documents the knowledge base is built from, kept verbatim."""

    key = models.SlugField(max_length=64, unique=True)
    filename = models.CharField(max_length=200, unique=True)
    sha256 = models.CharField(max_length=64)
    text = models.TextField(help_text="The document's full text, unchanged.")

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="sourcedocument_sha256_is_hex",
            ),
        ]

    def __str__(self) -> str:
        return self.filename
