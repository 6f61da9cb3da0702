"""The knowledge base: source documents, articles, nutrients, causes and foods.

Every fact the site shows is carried by an ``Evidence`` row: which article (and so
which source document) states it, the verbatim passage, and whether the passage
supports, qualifies or disputes it. Fields on the entities hold the values the
tables filter and sort on; where no source states a value it stays empty and the
site says so.
"""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.signals import setting_changed
from django.db import models
from django.db.models import Q
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse
from django.utils import timezone
from django.utils.html import strip_tags
from markdownx.models import MarkdownxField
from simple_history.models import HistoricalRecords

from knowledge.markdown import render_markdown_with_toc

NOT_STATED = "Not stated in our sources"
WORDS_PER_MINUTE = 200


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})``, resolved once per view.

    Tables and charts link hundreds of rows; resolving each link afresh would cost
    more than the rest of the page. Slugs are ASCII letters, digits, hyphens and
    underscores, so they need no quoting.
    """
    before, after = _slug_url_parts(viewname, get_script_prefix())
    return f"{before}{slug}{after}"


@functools.cache
def _slug_url_parts(viewname: str, prefix: str) -> tuple[str, str]:
    marker = "slug-0-marker"
    before, after = reverse(viewname, kwargs={"slug": marker}).split(marker)
    return before, after


def view_url(viewname: str) -> str:
    """``reverse(viewname)`` for a view without arguments, resolved once."""
    return _view_url(viewname, get_script_prefix())


@functools.cache
def _view_url(viewname: str, prefix: str) -> str:
    return reverse(viewname)


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _slug_url_parts.cache_clear()
        _view_url.cache_clear()


def reading_minutes(html: str) -> int:
    """Minutes to read a rendered body, at an average reading speed."""
    return max(1, round(len(strip_tags(html).split()) / WORDS_PER_MINUTE))


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


class Symptom(models.Model):
    """Something a reader notices alongside a twitch (cramps, tingling...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyArea(models.Model):
    """Where a twitch is felt: face, eyelid, nose or general."""

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SourceCountsQuerySet(models.QuerySet):
    def with_source_counts(self):
        """Annotate how many published documents support, qualify or dispute."""
        published = Article.published_q("evidence__article__")

        def documents(stance: str) -> models.Count:
            return models.Count(
                "evidence__article",
                filter=published & Q(evidence__stance=stance),
                distinct=True,
            )

        return self.annotate(
            supporting_documents=documents("supports"),
            qualifying_documents=documents("qualifies"),
            disputing_documents=documents("disputes"),
        )


class NutrientQuerySet(SourceCountsQuerySet):
    def with_relations(self) -> NutrientQuerySet:
        # A food linked by two sources has two through rows: show it once.
        return self.prefetch_related(
            models.Prefetch("foods", queryset=FoodSource.objects.distinct()),
            "causes",
        )


class Nutrient(models.Model):
    class Kind(models.TextChoices):
        VITAMIN = "vitamin", "Vitamin"
        MINERAL = "mineral", "Mineral"
        FATTY_ACID = "fatty_acid", "Fatty acid"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind)
    deficiency_term = models.CharField(
        max_length=100,
        blank=True,
        help_text="The medical name for a deficiency, as the sources give it.",
    )
    aliases = models.TextField(
        blank=True, help_text="Other names the sources use, one per line."
    )
    role = models.TextField(
        blank=True, help_text="Its role in nerve and muscle function, verbatim."
    )
    summary = models.TextField(blank=True, help_text="A verbatim sentence or two.")
    foods = models.ManyToManyField(
        "FoodSource",
        through="NutrientFood",
        related_name="nutrients",
        blank=True,
    )

    objects = NutrientQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:nutrient-detail", self.slug)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]


class FoodSourceQuerySet(models.QuerySet):
    def with_relations(self) -> FoodSourceQuerySet:
        return self.prefetch_related(
            models.Prefetch("nutrients", queryset=Nutrient.objects.distinct())
        )


class FoodSource(models.Model):
    """A source of a nutrient: usually a food, sometimes not (sunlight)."""

    class Kind(models.TextChoices):
        FOOD = "food", "Food"
        SUPPLEMENT = "supplement", "Supplement"
        OTHER = "other", "Not a food"

    class Category(models.TextChoices):
        VEGETABLES = "vegetables", "Vegetables"
        FRUIT = "fruit", "Fruit"
        LEGUMES = "legumes", "Legumes"
        NUTS_SEEDS = "nuts_seeds", "Nuts and seeds"
        GRAINS = "grains", "Grains"
        DAIRY = "dairy", "Dairy"
        EGGS = "eggs", "Eggs"
        FISH = "fish", "Fish"
        MEAT = "meat", "Meat"
        FORTIFIED = "fortified", "Fortified foods"
        OTHER_FOOD = "other_food", "Other foods"
        SUPPLEMENT = "supplement", "Supplements"
        SUNLIGHT = "sunlight", "Sunlight"

    class Diet(models.TextChoices):
        VEGAN = "vegan", "Vegan"
        VEGETARIAN = "vegetarian", "Vegetarian"
        OMNIVORE = "omnivore", "Contains meat or fish"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(max_length=20, choices=Kind, default=Kind.FOOD)
    category = models.CharField(max_length=20, choices=Category)
    diet = models.CharField(
        max_length=20,
        choices=Diet,
        blank=True,
        help_text="Leave empty where suitability is not clear.",
    )
    examples = models.CharField(
        max_length=200, blank=True, help_text="Examples the sources give."
    )

    objects = FoodSourceQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            # A diet only makes sense for something you eat or take.
            models.CheckConstraint(
                condition=~Q(kind="other") | Q(diet=""),
                name="foodsource_diet_only_for_edibles",
            ),
            models.CheckConstraint(
                condition=Q(kind="other", category="sunlight")
                | (~Q(kind="other") & ~Q(category="sunlight")),
                name="foodsource_sunlight_is_not_food",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:food-detail", self.slug)


class Commonality(models.IntegerChoices):
    """How often a cause is behind a twitch, in the sources' words.

    The values leave gaps so that a grade the sources do not use yet (such as
    "uncommon") can be added without renumbering stored rows; sorting is by value.
    """

    RARE = 1, "Rare"
    COMMON = 3, "Common"
    VERY_COMMON = 4, "Very common"


class Urgency(models.IntegerChoices):
    """How urgently to see a doctor, in the sources' words."""

    LOW = 1, "Low"
    HIGH = 3, "High"


class CauseQuerySet(SourceCountsQuerySet):
    def with_relations(self) -> CauseQuerySet:
        # Symptoms and body areas stated by several sources appear once each.
        return self.select_related("nutrient").prefetch_related(
            models.Prefetch("symptoms", queryset=Symptom.objects.distinct()),
            models.Prefetch("body_areas", queryset=BodyArea.objects.distinct()),
        )


class Cause(models.Model):
    class Category(models.TextChoices):
        NUTRIENT_DEFICIENCY = "nutrient_deficiency", "Nutrient deficiency"
        NUTRIENT_EXCESS = "nutrient_excess", "Nutrient excess"
        LIFESTYLE = "lifestyle", "Lifestyle"
        NEUROLOGICAL = "neurological", "Neurological or structural"
        MEDICATION = "medication", "Medication"
        MEDICAL_CONDITION = "medical_condition", "Other medical condition"

    Commonality = Commonality
    Urgency = Urgency

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    aliases = models.TextField(
        blank=True, help_text="The names the sources use, one per line."
    )
    category = models.CharField(max_length=30, choices=Category)
    nutrient = models.ForeignKey(
        Nutrient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="causes",
    )
    mechanism = models.TextField(
        blank=True, help_text="How it causes twitching, verbatim from a source."
    )
    recommended_action = models.TextField(blank=True)
    warning_signs = models.TextField(
        blank=True,
        help_text="When to see a doctor, verbatim from a source.",
    )
    commonality = models.PositiveSmallIntegerField(
        choices=Commonality, null=True, blank=True
    )
    urgency = models.PositiveSmallIntegerField(choices=Urgency, null=True, blank=True)
    symptoms = models.ManyToManyField(
        Symptom, through="CauseSymptom", related_name="causes", blank=True
    )
    body_areas = models.ManyToManyField(
        BodyArea, through="CauseBodyArea", related_name="causes", blank=True
    )

    objects = CauseQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(commonality__isnull=True)
                | Q(commonality__in=[c.value for c in Commonality]),
                name="cause_commonality_valid",
            ),
            models.CheckConstraint(
                condition=Q(urgency__isnull=True)
                | Q(urgency__in=[u.value for u in Urgency]),
                name="cause_urgency_valid",
            ),
            # A deficiency or an excess is always of some nutrient.
            models.CheckConstraint(
                condition=~Q(category__in=["nutrient_deficiency", "nutrient_excess"])
                | Q(nutrient__isnull=False),
                name="cause_nutrient_category_has_nutrient",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:cause-detail", self.slug)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @property
    def is_urgent(self) -> bool:
        return self.urgency == Urgency.HIGH


class ArticleQuerySet(models.QuerySet):
    def published(self) -> ArticleQuerySet:
        return self.filter(Article.published_q())

    def for_listing(self) -> ArticleQuerySet:
        """Only what a list of articles shows: the bodies stay in the database."""
        return self.only(
            "slug", "live_title", "live_summary", "published_at", "live_reading_minutes"
        )


class Article(models.Model):
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
    nutrients = models.ManyToManyField(Nutrient, related_name="articles", blank=True)
    causes = models.ManyToManyField(Cause, related_name="articles", blank=True)
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
    # What readers see: a copy of the working fields above, taken when the article
    # is published. Editing the article changes only the working fields, so the
    # live page stays as it was until a new version is approved and published.
    live_title = models.CharField(max_length=200, blank=True, editable=False)
    live_summary = models.TextField(blank=True, editable=False)
    live_body_html = models.TextField(blank=True, editable=False)
    live_toc = models.JSONField(default=list, blank=True, editable=False)
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
            "reviewed_by",
            "reviewed_at",
            "review_comment",
            "review_due",
            "live_title",
            "live_summary",
            "live_body_html",
            "live_toc",
            "live_reviewed_by",
            "live_reviewed_at",
            "live_reading_minutes",
            "version",
        ]
    )

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
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs) -> None:
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
        return slug_url("knowledge:article-detail", self.slug)

    @staticmethod
    def published_q(prefix: str = "") -> Q:
        """What "published" means, for filtering articles through a relation.

        An article is live from its publication time until it is unpublished,
        whatever is happening to its next version in the workflow.
        """
        return Q(**{f"{prefix}published_at__lte": timezone.now()}) & ~Q(
            **{f"{prefix}live_title": ""}
        )

    def take_live_copy(self) -> None:
        """Make the working version the one readers see."""
        self.live_title = self.title
        self.live_summary = self.summary
        self.live_body_html = self.body_html
        self.live_toc = self.toc
        self.live_reviewed_by = self.reviewed_by
        self.live_reviewed_at = self.reviewed_at
        self.live_reading_minutes = reading_minutes(self.body_html)

    def clear_live_copy(self) -> None:
        self.live_title = self.live_summary = self.live_body_html = ""
        self.live_toc = []
        self.live_reviewed_by = self.live_reviewed_at = None
        self.live_reading_minutes = 0

    @property
    def reading_minutes(self) -> int:
        """Reading time of the live version."""
        return self.live_reading_minutes


class Evidence(models.Model):
    """What one article says about one cause or nutrient, in its own words."""

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        QUALIFIES = "qualifies", "Qualifies"
        DISPUTES = "disputes", "Disputes"

    class Aspect(models.TextChoices):
        NAME = "name", "Name"
        LINK = "link", "Link to twitching"
        MECHANISM = "mechanism", "Mechanism"
        SYMPTOMS = "symptoms", "Accompanying symptoms"
        BODY_AREA = "body_area", "Where it is felt"
        ACTION = "action", "Recommended action"
        COMMONALITY = "commonality", "Commonality"
        URGENCY = "urgency", "Urgency to see a doctor"
        WARNING = "warning", "When to see a doctor"
        DEFINITION = "definition", "Definition"
        ROLE = "role", "Role in nerve and muscle function"
        FOOD_SOURCES = "food_sources", "Food sources"

    article = models.ForeignKey(
        Article, on_delete=models.CASCADE, related_name="evidence"
    )
    cause = models.ForeignKey(
        Cause, on_delete=models.CASCADE, null=True, blank=True, related_name="evidence"
    )
    nutrient = models.ForeignKey(
        Nutrient,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    aspect = models.CharField(max_length=20, choices=Aspect)
    stance = models.CharField(max_length=10, choices=Stance, default=Stance.SUPPORTS)
    value = models.TextField(
        blank=True, help_text="The value as the source states it (a table cell)."
    )
    passage = models.TextField(help_text="The verbatim passage from the source.")
    locator = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where in the source: a table and row, or a section.",
    )
    position = models.PositiveIntegerField(default=0)

    history = HistoricalRecords()

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(cause__isnull=False, nutrient__isnull=True)
                | Q(cause__isnull=True, nutrient__isnull=False),
                name="evidence_has_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(passage=""), name="evidence_passage_not_empty"
            ),
        ]

    def __str__(self) -> str:
        subject = self.cause or self.nutrient
        return f"{self.article}: {self.get_stance_display()} {subject} ({self.aspect})"

    def get_absolute_url(self) -> str:
        return (self.cause or self.nutrient).get_absolute_url()


class CauseSymptom(models.Model):
    """A symptom that accompanies a cause, according to one piece of evidence."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE)
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cause", "symptom", "evidence"],
                name="causesymptom_unique_per_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cause}: {self.symptom}"


class CauseBodyArea(models.Model):
    """Where a cause's twitches are felt, according to one piece of evidence."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE)
    body_area = models.ForeignKey(BodyArea, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["cause", "body_area", "evidence"],
                name="causebodyarea_unique_per_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.cause}: {self.body_area}"


class NutrientFood(models.Model):
    """A food (or sunlight) that provides a nutrient, according to one source."""

    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE)
    food = models.ForeignKey(FoodSource, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)
    stated_as = models.CharField(
        max_length=200, help_text="The words the source uses for this food."
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nutrient", "food", "evidence"],
                name="nutrientfood_unique_per_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.food} provides {self.nutrient}"


class ReviewerProfile(models.Model):
    """How a medical reviewer is named on the pages they review."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        related_name="reviewer_profile",
    )
    name = models.CharField(max_length=120, help_text="e.g. Dr Jane Smith")
    credential = models.CharField(max_length=120, help_text="e.g. MD, neurologist")

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
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.article}: {self.from_status} → {self.to_status} ({self.user})"
