"""Evidence: what one article says about one cause or nutrient, in its own words.

Every fact the site shows is carried by an ``Evidence`` row: which article (and so
which source document) states it, the verbatim passage, and whether the passage
supports, qualifies or disputes it. Symptoms, body areas and foods are linked to
causes and nutrients through the evidence that states the link.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from simple_history.models import HistoricalRecords

from knowledge.models.articles import Article
from knowledge.models.causes import Cause
from knowledge.models.entities import BodyArea, Symptom
from knowledge.models.nutrients import FoodSource, Nutrient
from knowledge.passages import PassageNotFound, anchor, locate


class EvidenceQuerySet(models.QuerySet):
    def published(self) -> EvidenceQuerySet:
        """Evidence from articles readers can see now (a join, not a subquery)."""
        return self.filter(Article.published_q("article__"))


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
    passage = models.TextField(
        help_text="The passage, word for word as the source document has it."
    )
    # Where the passage stands in the document's text: passage == text[start:end].
    start = models.PositiveIntegerField(editable=False)
    end = models.PositiveIntegerField(editable=False)
    locator = models.CharField(
        max_length=200,
        blank=True,
        help_text="Where in the source: a table and row, or a section.",
    )
    position = models.PositiveIntegerField(default=0)

    objects = EvidenceQuerySet.as_manager()
    history = HistoricalRecords()

    # The search rows of the cause or nutrient quote it.
    search_dependents = ("cause", "nutrient")

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
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="evidence_passage_has_extent"
            ),
        ]

    def __str__(self) -> str:
        subject = self.cause or self.nutrient
        return f"{self.article}: {self.get_stance_display()} {subject} ({self.aspect})"

    def get_absolute_url(self) -> str:
        return (self.cause or self.nutrient).get_absolute_url()

    def clean(self) -> None:
        """Find the passage in its document; refuse one the document does not have."""
        source = self.article.source if self.article_id else None
        if source is None:
            raise ValidationError(
                {"article": "Quote an article that reproduces a source document."}
            )
        try:
            self.start, self.end = locate(
                source.text, self.passage, near=self.start or 0
            )
        except PassageNotFound as refusal:
            raise ValidationError({"passage": str(refusal)}) from refusal
        self.passage = source.text[self.start : self.end]

    @property
    def anchor(self) -> str:
        return anchor(self.start, self.end)

    def get_passage_url(self) -> str:
        """The passage on the article that reproduces its document, highlighted."""
        return f"{self.article.get_absolute_url()}#{self.anchor}"


class CauseSymptom(models.Model):
    """A symptom that accompanies a cause, according to one piece of evidence."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE)
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    search_dependents = ("cause",)

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

    search_dependents = ("cause",)

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

    search_dependents = ("nutrient", "food")

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["nutrient", "food", "evidence"],
                name="nutrientfood_unique_per_evidence",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.food} provides {self.nutrient}"
