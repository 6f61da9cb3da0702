"""Articles: the Markdown an editor writes, and the live copy readers see."""

from __future__ import annotations

import html
from datetime import date

from django.apps import apps
from django.conf import settings
from django.db import connection, models
from django.db.models import Q
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.text import normalize_newlines
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.markdown import render_markdown_with_toc
from knowledge.models.sources import SourceDocument
from search import index

WORDS_PER_MINUTE = 200


def reading_minutes(html_text: str) -> int:
    """Minutes to read a rendered body, at an average reading speed."""
    return max(1, round(len(strip_tags(html_text).split()) / WORDS_PER_MINUTE))


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(Article.published_q())

    def for_listing(self) -> ArticleQuerySet:
        """Only what a list of articles shows: the bodies stay in the database."""
        return self.only(
            "live_slug",
            "live_title",
            "live_summary",
            "published_at",
            "live_reading_minutes",
        )

    def review_overdue(self, today: date | None = None) -> ArticleQuerySet:
        """Articles whose medical review is overdue: past its due date, or live
        with a text no medical reviewer has signed off (a loaded source, say)."""
        today = today or timezone.localdate()
        never_reviewed = Article.published_q() & Q(live_reviewed_at__isnull=True)
        return self.filter(Q(review_due__lt=today) | never_reviewed)

    def live_never_reviewed(self) -> ArticleQuerySet:
        """Live articles whose text no medical reviewer has signed off."""
        return self.published().filter(live_reviewed_at__isnull=True)


class Article(index.Indexed, models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        APPROVED = "approved", "Approved"
        PUBLISHED = "published", "Published"

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=200, unique=True)
    summary = models.TextField(blank=True)
    body = MarkdownxField(help_text="Markdown. Raw HTML is shown as text.")
    body_html = models.TextField(blank=True, editable=False)
    toc = models.JSONField(
        default=list, blank=True, editable=False, help_text="The body's headings."
    )
    source = models.OneToOneField(
        SourceDocument,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="article",
        help_text="The source document this article reproduces, if any.",
    )
    status = models.CharField(
        max_length=20, choices=Status, default=Status.DRAFT, db_index=True
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    published_at = models.DateTimeField(
        null=True,
        blank=True,
        help_text="When it goes (or went) live; a future time schedules it.",
    )
    nutrients = models.ManyToManyField(
        "knowledge.Nutrient", related_name="articles", blank=True
    )
    causes = models.ManyToManyField(
        "knowledge.Cause", related_name="articles", blank=True
    )
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reviewed_articles",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_comment = models.TextField(blank=True)
    review_due = models.DateField(
        null=True, blank=True, help_text="When the next medical review is due."
    )
    scheduled_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="An approved article goes live at this time (publish_scheduled).",
    )
    unpublish_at = models.DateTimeField(
        null=True,
        blank=True,
        editable=False,
        help_text="A live article leaves the site at this time (publish_scheduled).",
    )
    # What readers see: a copy of the working fields above, taken when the article
    # is published. Editing the article changes only the working fields, so the
    # live page stays as it was until a new version is approved and published.
    live_title = models.CharField(max_length=200, blank=True, editable=False)
    # The address readers find it at. Null while nothing is live, so that unique
    # holds among live articles only (and a plain unique index serves lookups).
    live_slug = models.SlugField(
        max_length=200, null=True, blank=True, unique=True, editable=False
    )
    live_summary = models.TextField(blank=True, editable=False)
    # The Markdown the live HTML was rendered from: compared with the working text.
    live_body = models.TextField(blank=True, editable=False)
    live_body_html = models.TextField(blank=True, editable=False)
    live_toc = models.JSONField(default=list, blank=True, editable=False)
    live_nutrients = models.ManyToManyField(
        "knowledge.Nutrient", related_name="live_articles", blank=True, editable=False
    )
    live_causes = models.ManyToManyField(
        "knowledge.Cause", related_name="live_articles", blank=True, editable=False
    )
    live_reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )
    live_reviewed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Counted once when the copy is taken: lists of articles show it for each.
    live_reading_minutes = models.PositiveSmallIntegerField(default=0, editable=False)

    version = models.PositiveIntegerField(
        default=1, editable=False, help_text="Raised by every save: see the admin."
    )

    objects = ArticleQuerySet.as_manager()
    # History keeps the text an editor writes. The workflow's own fields stay out,
    # so that restoring an old version can never publish or approve anything.
    history = HistoricalRecords(
        excluded_fields=[
            "body_html",
            "toc",
            "status",
            "published_at",
            "scheduled_at",
            "unpublish_at",
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "review_due",
            "live_title",
            "live_slug",
            "live_summary",
            "live_body",
            "live_body_html",
            "live_toc",
            "live_reviewed_by",
            "live_reviewed_at",
            "live_reading_minutes",
            "version",
        ]
    )

    # Readers find the live version only.
    search_fields = [
        index.SearchField("live_title", "title"),
        index.SearchField("live_summary", "summary"),
        index.SearchField("live_body_text"),
    ]
    # The causes and nutrients its evidence is about quote it in their rows.
    search_dependents = ("evidence_subjects",)
    search_position = 1

    class Meta:
        ordering = ["-published_at", "title"]
        permissions = [
            ("submit_article", "Can send an article for medical review"),
            ("review_article", "Can approve an article or request changes"),
            ("publish_article", "Can publish, schedule and unpublish an article"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=~Q(status="published") | Q(published_at__isnull=False),
                name="article_published_has_date",
            ),
        ]
        indexes = [
            # Lists of live articles, newest first, read in order from the index;
            # with live_title in it, counting them reads no article row. (Not a
            # partial index: SQLite cannot use one for a parameterised query.)
            models.Index(
                fields=["-published_at", "title", "live_title"],
                name="article_live_newest_first",
            ),
            # The sitemap's pages of live articles, in order of key, read from the
            # index alone: reading the rows meant reading past their bodies, 9.3
            # against 0.8 ms a page at 10x on SQLite.
            models.Index(
                fields=["id", "published_at", "live_title", "live_slug", "updated_at"],
                name="article_sitemap_covering",
            ),
            # The articles that are not live, found from indexes alone (with the
            # index above for those with no publication date, or a future one).
            models.Index(fields=["live_title"], name="article_by_live_title"),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
        # A browser sends a text area's line breaks as CRLF: store them as LF, so
        # that a save of the same text is the same text.
        self.title, self.summary, self.body = (
            normalize_newlines(text) for text in (self.title, self.summary, self.body)
        )
        self.body_html, self.toc = render_markdown_with_toc(self.body)
        if self.pk:
            self.version += 1
        if update_fields := kwargs.get("update_fields"):
            extra = {"version"} | (
                {"body_html", "toc"} if "body" in update_fields else set()
            )
            kwargs["update_fields"] = {*update_fields, *extra}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        """The address readers find it at; the working one while nothing is live."""
        return slug_url("knowledge:article-detail", self.live_slug or self.slug)

    @staticmethod
    def published_q(prefix: str = "") -> Q:
        """What "published" means, for filtering articles through a relation.

        An article is live from its publication time until it is unpublished,
        whatever is happening to its next version in the workflow.

        Through a relation (``prefix``, e.g. ``"evidence__article__"``) on
        SQLite, it is a key that is not one of the articles that are not live:
        those are few (drafts, articles taken down), found from indexes alone.
        SQLite stores a row's columns in one record, and a join that reaches an
        article's ``live_title`` reads past the article's texts: at 100x a
        source reproduced as a table is 2.4 MB, read for every quote of it (the
        causes table took 4.4 s). A subquery of the live articles' keys lists
        them all, 36 ms for every query of quotes at 100x. PostgreSQL keeps large
        texts out of the row, and there the join is the faster (26 against 40 ms
        for the same query).
        """
        if prefix and connection.vendor == "sqlite":
            not_live = Article.objects.filter(
                Q(published_at__isnull=True)
                | Q(published_at__gt=timezone.now())
                | Q(live_title="")
            )
            return Q(**{f"{prefix}isnull": False}) & ~Q(**{f"{prefix}in": not_live})
        return Q(**{f"{prefix}published_at__lte": timezone.now()}) & ~Q(
            **{f"{prefix}live_title": ""}
        )

    def take_live_copy(self) -> None:
        """Make the working version the one readers see, in memory.

        The linked causes and nutrients are rows of their own: publishing copies
        them too (``editorial.services``).
        """
        self.live_title = self.title
        self.live_slug = self.slug
        self.live_summary = self.summary
        self.live_body = self.body
        self.live_body_html = self.body_html
        self.live_toc = self.toc
        self.live_reviewed_by = self.reviewed_by
        self.live_reviewed_at = self.reviewed_at
        self.live_reading_minutes = reading_minutes(self.body_html)

    def clear_live_copy(self) -> None:
        self.live_title = self.live_summary = self.live_body = self.live_body_html = ""
        self.live_slug = None
        self.live_toc = []
        self.live_reviewed_by = self.live_reviewed_at = None
        self.live_reading_minutes = 0

    @property
    def reading_minutes(self) -> int:
        """Reading time of the live version."""
        return self.live_reading_minutes

    def search_published_at(self):
        return self.published_at if self.live_title else None

    @property
    def live_body_text(self) -> str:
        return html.unescape(strip_tags(self.live_body_html))

    def evidence_subjects(self) -> list[models.Model]:
        """What this article's evidence is about: causes, nutrients, conditions,
        and the foods it pairs with nutrients (their search rows quote it)."""
        subjects = []
        quotes = self.evidence.all()
        for model_name, lookup in (
            ("Cause", "evidence__in"),
            ("Nutrient", "evidence__in"),
            ("Condition", "evidence__in"),
            ("FoodSource", "nutrientfood__evidence__in"),
        ):
            model = apps.get_model("knowledge", model_name)
            subjects += model.objects.filter(**{lookup: quotes}).distinct().only("pk")
        return subjects


class ArticleRedirectQuerySet(models.QuerySet):
    def to_live(self) -> ArticleRedirectQuerySet:
        """Redirects to articles readers can see now."""
        return self.filter(Article.published_q("article__"))


class ArticleRedirect(models.Model):
    """An address an article was published at before: it answers 301 to the
    article's live address, for good.

    A redirect names the article, not the address it moved to, so a chain of moves
    is one step. A live article's own address always wins: publishing at an address
    removes any redirect from it, and the article page looks for a live article
    first.
    """

    old_slug = models.SlugField(max_length=200, unique=True)
    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="redirects"
    )
    created_at = models.DateTimeField(default=timezone.now)

    objects = ArticleRedirectQuerySet.as_manager()

    class Meta:
        ordering = ["old_slug"]

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.article}"
