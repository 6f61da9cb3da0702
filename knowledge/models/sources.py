"""The source documents: every fact on the site is quoted from one of them."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import models
from django.db.models import Q
from django.utils import timezone
from simple_history.models import HistoricalRecords

NOT_STATED = "Not stated"


class SourceDocument(models.Model):
    """One of the documents the knowledge base is built from, kept verbatim.

    Its text never changes once a quote cites it: a corrected text is a new
    document. The checksum is computed from the text, never typed.
    """

    class Format(models.TextChoices):
        TEXT = "text", "Plain text"
        MARKDOWN = "markdown", "Markdown"

    key = models.SlugField(max_length=64, unique=True, editable=False)
    filename = models.CharField(max_length=200, unique=True, editable=False)
    sha256 = models.CharField(max_length=64, editable=False)
    text = models.TextField(help_text="The document's full text, unchanged.")
    format = models.CharField(max_length=10, choices=Format, default=Format.TEXT)
    title = models.CharField(
        max_length=200,
        blank=True,
        help_text="The title as the document gives it, word for word. Leave it "
        "empty if the document gives none.",
    )
    editorial_title = models.CharField(
        max_length=200,
        blank=True,
        help_text="Our title, for a document that gives none. Pages show it marked "
        "as ours.",
    )
    author = models.CharField(
        "author or publisher",
        max_length=200,
        blank=True,
        help_text="As the document names them. Leave it empty if it does not.",
    )
    published_on = models.DateField(
        "original date",
        null=True,
        blank=True,
        help_text="The date the document gives itself. Leave it empty if none.",
    )
    url = models.URLField(
        "URL",
        max_length=500,
        blank=True,
        help_text="Where the document was published, if known.",
    )
    title_is_first_line = models.BooleanField(
        default=False,
        help_text="The first line of the text is the document's title, not its body.",
    )
    left_out = models.TextField(
        "lines left out",
        blank=True,
        help_text="Page furniture the article does not reproduce (breadcrumbs, "
        "comment boxes), one line per line, exactly as in the text.",
    )
    subheadings = models.TextField(
        blank=True,
        help_text="Headings one level below the section headings, one per line.",
    )
    added_at = models.DateTimeField(default=timezone.now, editable=False)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    # The text never changes once cited (see ``clean``): its versions would only
    # repeat it. What the document says of itself is kept.
    history = HistoricalRecords(excluded_fields=["text"])

    class Meta:
        ordering = ["key"]
        constraints = [
            models.CheckConstraint(
                condition=Q(sha256__regex=r"^[0-9a-f]{64}$"),
                name="sourcedocument_sha256_is_hex",
            ),
            models.CheckConstraint(
                condition=~Q(title="") | ~Q(editorial_title=""),
                name="sourcedocument_has_a_title",
            ),
        ]

    def __str__(self) -> str:
        return self.display_title or self.filename

    def save(self, *args, **kwargs) -> None:
        self.sha256 = checksum(self.text)
        if not self.key:
            self.key = self._new_key()
        if not self.filename:
            extension = "md" if self.format == self.Format.MARKDOWN else "txt"
            self.filename = f"{self.key}.{extension}"
        super().save(*args, **kwargs)

    def clean(self) -> None:
        if not (self.title.strip() or self.editorial_title.strip()):
            raise ValidationError(
                "Give the document's own title, or, if it gives none, a title of "
                "ours (it will be marked as editorial)."
            )
        if self.title and self.editorial_title:
            raise ValidationError(
                {"editorial_title": "The document gives its own title: use that one."}
            )
        if self.pk and self.is_cited():
            stored = SourceDocument.objects.filter(pk=self.pk).values("sha256").get()
            if stored["sha256"] != checksum(self.text):
                raise ValidationError(
                    {
                        "text": "Quotes cite this document, so its text cannot "
                        "change. Add the corrected text as a new document."
                    }
                )

    def _new_key(self) -> str:
        number = SourceDocument.objects.count()
        while True:
            key = f"{number:03d}_{self.sha256[:16]}"
            if not SourceDocument.objects.filter(key=key).exists():
                return key
            number += 1

    @property
    def display_title(self) -> str:
        return self.title or self.editorial_title

    @property
    def title_is_editorial(self) -> bool:
        return not self.title and bool(self.editorial_title)

    def is_cited(self) -> bool:
        """Whether any quote cites this document (through its article)."""
        try:
            article = self.article
        except ObjectDoesNotExist:
            return False
        return article.evidence.exists()

    def article_is_live(self) -> bool:
        """Whether readers can see the article that reproduces this document."""
        try:
            return bool(self.article.published_at and self.article.live_title)
        except ObjectDoesNotExist:
            return False

    def left_out_lines(self) -> list[str]:
        """The lines of the text its article does not show: title and furniture."""
        lines = [line.strip() for line in self.left_out.splitlines() if line.strip()]
        if self.title_is_first_line and self.text.strip():
            lines.append(self.text.strip().splitlines()[0].strip())
        return lines


def checksum(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()
