"""The site-search index: one row per searchable page, plus words and synonyms.

``SearchDocument`` is a projection of the models that declare ``search_fields``
(``search.index``), kept in step after each transaction commits. The
database-specific full-text machinery sits on top of it: a weighted, GIN-indexed
``tsvector`` on PostgreSQL, and an FTS5 table kept in step by triggers on SQLite
(``knowledge/migrations/0003_search_engines.py`` creates them).

The tables keep the names they had when these models lived in the knowledge app:
the triggers, indexes and the text-search configuration refer to them.
"""

from __future__ import annotations

from django.contrib.postgres.search import SearchVectorField
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.text import get_text_list
from simple_history.models import HistoricalRecords

from search.text import has_word


class SearchDocumentQuerySet(models.QuerySet):
    def visible(self) -> SearchDocumentQuerySet:
        """What readers may find: published now, whatever was scheduled."""
        return self.filter(published_at__lte=timezone.now())


class SearchDocument(models.Model):
    kind = models.CharField(
        max_length=20, help_text="The indexed model's search_kind (search.index)."
    )
    object_id = models.PositiveBigIntegerField()
    title = models.CharField(max_length=300)
    aliases = models.TextField(blank=True)
    summary = models.TextField(blank=True)
    body = models.TextField(blank=True)
    url = models.CharField(max_length=300)
    published_at = models.DateTimeField(
        null=True, blank=True, help_text="Empty while the page is not published."
    )
    # Filled on PostgreSQL only; SQLite searches its FTS5 table instead. `vector`
    # (everything, GIN-indexed) finds the matches; `rank_vector` (title, aliases,
    # summary and the opening of the body) ranks them. It is small enough to stay
    # in the row, so ranking thousands of matches never reads TOASTed vectors.
    vector = SearchVectorField(null=True, editable=False)
    rank_vector = SearchVectorField(null=True, editable=False)

    objects = SearchDocumentQuerySet.as_manager()

    class Meta:
        db_table = "knowledge_searchdocument"
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "object_id"], name="searchdocument_unique_object"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind}: {self.title}"

    def get_absolute_url(self) -> str:
        return self.url


class SearchTerm(models.Model):
    """A word that occurs in the index: the vocabulary typos are corrected to."""

    word = models.CharField(max_length=100, unique=True)

    class Meta:
        db_table = "knowledge_searchterm"

    def __str__(self) -> str:
        return self.word


class Synonym(models.Model):
    """Words that mean the same to a reader, e.g. "low magnesium", "hypomagnesemia"."""

    terms = models.TextField(
        help_text="Two or more words or phrases that mean the same, one per line."
    )
    note = models.CharField(
        max_length=200, blank=True, help_text="Where the equivalence comes from."
    )
    stated_in = models.ForeignKey(
        "knowledge.Evidence",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text="The quote in which a source says these mean the same. Empty: "
        "the synonym is ours, and readers see it marked as editorial.",
    )

    history = HistoricalRecords()

    class Meta:
        db_table = "knowledge_synonym"
        ordering = ["pk"]

    def __str__(self) -> str:
        return " ↔ ".join(self.term_list)

    def clean(self) -> None:
        """Two or more terms, each with a letter or a digit: search reads only
        words, so a line such as "---" would mean nothing to it."""
        wordless = [f"“{term}”" for term in self.term_list if not has_word(term)]
        if wordless:
            raise ValidationError(
                {
                    "terms": "Each line needs a letter or a digit, or search cannot "
                    f"use it: {get_text_list(wordless, 'and')}."
                }
            )
        if len(self.term_list) < 2:
            raise ValidationError(
                {"terms": "Give two or more words or phrases, one per line."}
            )

    @property
    def term_list(self) -> list[str]:
        return [line.strip() for line in self.terms.splitlines() if line.strip()]


class SearchQueryLog(models.Model):
    """How often a query found nothing on a day. No IP address, no user: only text."""

    query = models.CharField(max_length=200)
    date = models.DateField(default=timezone.localdate)
    count = models.PositiveIntegerField(default=1)

    class Meta:
        db_table = "knowledge_searchquerylog"
        ordering = ["-date", "-count"]
        verbose_name = "search that found nothing"
        verbose_name_plural = "searches that found nothing"
        constraints = [
            models.UniqueConstraint(
                fields=["query", "date"], name="searchquerylog_unique_per_day"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.query} ({self.count} on {self.date})"
