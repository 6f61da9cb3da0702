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

from knowledge.ledger import POINTS_BACK, whole_sentences
from knowledge.models.articles import Article
from knowledge.models.causes import Cause
from knowledge.models.conditions import Condition
from knowledge.models.entities import BodyArea, Commonality, Symptom, Urgency, grade_of
from knowledge.models.nutrients import FoodSource, Nutrient
from knowledge.passages import PassageNotFound, anchor, locate


class EvidenceQuerySet(models.QuerySet):
    def published(self) -> EvidenceQuerySet:
        """Evidence from articles readers can see now (a join, not a subquery)."""
        return self.filter(Article.published_q("article__"))


class Evidence(models.Model):
    """What one source document says about one cause, nutrient or condition.

    The passage is quoted word for word, and ``value`` is the words of it that are
    the value shown (a table cell, say); urgency and commonality are graded from
    those words (``grade``), never set apart from them.
    """

    class Stance(models.TextChoices):
        SUPPORTS = "supports", "Supports"
        QUALIFIES = "qualifies", "Qualifies"
        DISPUTES = "disputes", "Disputes"

    class Aspect(models.TextChoices):
        NAME = "name", "Name"
        TERMINOLOGY = "terminology", "What it is called"
        DEFINITION = "definition", "What it is"
        LINK = "link", "Link to twitching"
        MECHANISM = "mechanism", "Mechanism"
        SYMPTOMS = "symptoms", "Accompanying symptoms"
        BODY_AREA = "body_area", "Where it is felt"
        COMMONALITY = "commonality", "How common"
        URGENCY = "urgency", "Urgency to see a doctor"
        WARNING = "warning", "When to see a doctor"
        DIAGNOSIS = "diagnosis", "Diagnosis and tests"
        ACTION = "action", "What to do"
        TREATMENT = "treatment", "Treatment"
        SCOPE = "scope", "What it does not do"
        NUTRITION = "nutrition", "What nutrition has to do with it"
        ROLE = "role", "Role in nerve and muscle function"
        DEFICIENCY_NAME = "deficiency_name", "Name of its deficiency"
        DEFICIENCY_CAUSE = "deficiency_cause", "What causes a deficiency"
        FOOD_SOURCES = "food_sources", "Food sources"

    GRADED = {"urgency": Urgency, "commonality": Commonality}

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
    condition = models.ForeignKey(
        Condition,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="evidence",
    )
    aspect = models.CharField(max_length=20, choices=Aspect)
    stance = models.CharField(max_length=10, choices=Stance, default=Stance.SUPPORTS)
    value = models.TextField(
        blank=True,
        help_text="The words of the passage that are the value shown (a table "
        "cell, say), whole, qualifiers and all. Empty: the whole passage.",
    )
    grade = models.PositiveSmallIntegerField(
        null=True,
        blank=True,
        editable=False,
        help_text="For urgency and commonality: graded from the value's words.",
    )
    inference = models.CharField(
        max_length=300,
        blank=True,
        help_text="Our note, where the site applies the passage to this subject "
        "although the source names it only with others. Shown as inferred.",
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

    # The search rows of its subject quote it; a nutrient's causes name it.
    search_dependents = ("cause", "nutrient", "condition", "nutrient_causes")

    class Meta:
        ordering = ["position", "pk"]
        verbose_name_plural = "evidence"
        constraints = [
            models.CheckConstraint(
                condition=Q(
                    cause__isnull=False, nutrient__isnull=True, condition__isnull=True
                )
                | Q(cause__isnull=True, nutrient__isnull=False, condition__isnull=True)
                | Q(cause__isnull=True, nutrient__isnull=True, condition__isnull=False),
                name="evidence_has_exactly_one_subject",
            ),
            models.CheckConstraint(
                condition=~Q(passage=""), name="evidence_passage_not_empty"
            ),
            models.CheckConstraint(
                condition=Q(end__gt=F("start")), name="evidence_passage_has_extent"
            ),
        ]
        indexes = [
            # Whether a source rates a cause so (the causes table's urgent notice,
            # for every matching cause), from the index alone.
            models.Index(
                fields=["cause", "aspect", "grade", "article", "stance"],
                name="evidence_cause_ratings",
            ),
        ]

    def __str__(self) -> str:
        stance = self.get_stance_display()
        return f"{self.article}: {stance} {self.subject} ({self.aspect})"

    def save(self, *args, **kwargs) -> None:
        self.grade = self.graded()
        if update_fields := kwargs.get("update_fields"):
            kwargs["update_fields"] = {*update_fields, "grade"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return self.subject.get_absolute_url()

    def nutrient_causes(self):
        return self.nutrient.causes.all() if self.nutrient_id else []

    @property
    def subject(self):
        return self.cause or self.nutrient or self.condition

    @property
    def stated_value(self) -> str:
        """The value in the source's words: the value, else the whole passage."""
        return self.value or self.passage

    def graded(self) -> int | None:
        scale = self.GRADED.get(self.aspect)
        return grade_of(self.stated_value, scale) if scale else None

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
        whole = whole_sentences(source.text, self.start, self.end)
        if whole is not None:
            raise ValidationError(
                {
                    "passage": "Quote whole sentences: this passage begins or ends "
                    f"inside one. The whole sentences are: “{whole}”. Put the "
                    "words that matter in “Value”."
                }
            )
        if POINTS_BACK.match(self.passage):
            raise ValidationError(
                {
                    "passage": "This passage opens by pointing back (“"
                    f"{self.passage.split()[0]}…”) to words it leaves out: quote "
                    "the sentence before it too."
                }
            )
        if self.value and self.value not in self.passage:
            raise ValidationError(
                {"value": "The value must be words of the passage, as they stand."}
            )
        scale = self.GRADED.get(self.aspect)
        if scale and self.graded() is None:
            labels = ", ".join(f"“{label}”" for label in scale.labels)
            raise ValidationError(
                {
                    "value": f"A {self.get_aspect_display().lower()} must open with "
                    f"one of the grades {labels}, as the source words it."
                }
            )

    @property
    def anchor(self) -> str:
        return anchor(self.start, self.end)

    def get_passage_url(self) -> str:
        """The passage on the article that reproduces its document, highlighted."""
        return f"{self.article.get_absolute_url()}#{self.anchor}"


def check_link(link, *, subject: str, aspect: str, words: str = "") -> None:
    """A link rests on a quote about the same subject and aspect, in its words.

    ``subject`` names the link's field that the evidence must be about (``cause``
    or ``nutrient``); ``words``, where given, must stand in the quoted passage.
    """
    if not link.evidence_id:
        return
    evidence = link.evidence
    errors = {}
    if getattr(evidence, f"{subject}_id") != getattr(link, f"{subject}_id"):
        errors["evidence"] = (
            f"This quote is about {evidence.subject}, not about "
            f"{getattr(link, subject)}: choose a quote about this {subject}."
        )
    elif evidence.aspect != aspect:
        label = Evidence.Aspect(aspect).label.lower()
        errors["evidence"] = (
            f"This quote is filed as “{evidence.get_aspect_display()}”: a link "
            f"rests on a quote filed as “{label}”."
        )
    if (
        words
        and words.split()
        and " ".join(words.split()).lower()
        not in (" ".join(evidence.passage.split()).lower())
    ):
        errors["stated_as"] = "These words are not in the quoted passage."
    if errors:
        raise ValidationError(errors)


class CauseSymptom(models.Model):
    """A symptom that accompanies a cause, according to one piece of evidence."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE)
    symptom = models.ForeignKey(Symptom, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)
    stated_as = models.CharField(
        max_length=200,
        blank=True,
        help_text="The source's words for it where they qualify it (“in severe "
        "cases, seizures”), whole; empty where the symptom's name says it all.",
    )

    history = HistoricalRecords()

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

    def clean(self) -> None:
        check_link(
            self, subject="cause", aspect=Evidence.Aspect.SYMPTOMS, words=self.stated_as
        )


class CauseBodyArea(models.Model):
    """Where a cause's twitches are felt, according to one piece of evidence."""

    cause = models.ForeignKey(Cause, on_delete=models.CASCADE)
    body_area = models.ForeignKey(BodyArea, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)

    history = HistoricalRecords()

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

    def clean(self) -> None:
        check_link(self, subject="cause", aspect=Evidence.Aspect.BODY_AREA)


class NutrientFood(models.Model):
    """A food (or sunlight) that provides a nutrient, according to one source."""

    nutrient = models.ForeignKey(Nutrient, on_delete=models.CASCADE)
    food = models.ForeignKey(FoodSource, on_delete=models.CASCADE)
    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE)
    stated_as = models.CharField(
        max_length=200, help_text="The words the source uses for this food."
    )

    history = HistoricalRecords()

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

    def clean(self) -> None:
        check_link(
            self,
            subject="nutrient",
            aspect=Evidence.Aspect.FOOD_SOURCES,
            words=self.stated_as,
        )
