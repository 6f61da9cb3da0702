"""Causes of twitching: what the sources say brings a twitch on."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.models.entities import (
    BodyArea,
    Commonality,
    EvidenceSubject,
    SubjectQuerySet,
    Symptom,
    Urgency,
)
from knowledge.models.nutrients import Nutrient
from search import index


class CauseQuerySet(SubjectQuerySet):
    def with_relations(self) -> CauseQuerySet:
        # Symptoms and body areas stated by several sources appear once each.
        return self.select_related("nutrient").prefetch_related(
            models.Prefetch("symptoms", queryset=Symptom.objects.distinct()),
            models.Prefetch("body_areas", queryset=BodyArea.objects.distinct()),
        )


class Cause(EvidenceSubject, index.Indexed, models.Model):
    """A cause of twitching. Its name and category are ours; all else is quoted.

    Its mechanism, urgency, commonality, what to do and when to see a doctor are
    its evidence, in the sources' words; urgency and commonality are graded from
    those words for filtering and sorting (``SubjectQuerySet.with_grades``).
    """

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
    category = models.CharField(
        max_length=30, choices=Category, help_text="Our classification (editorial)."
    )
    nutrient = models.ForeignKey(
        Nutrient,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="causes",
        help_text="For a deficiency or an excess: of which nutrient.",
    )
    symptoms = models.ManyToManyField(
        Symptom, through="CauseSymptom", related_name="causes", blank=True
    )
    body_areas = models.ManyToManyField(
        BodyArea, through="CauseBodyArea", related_name="causes", blank=True
    )

    objects = CauseQuerySet.as_manager()
    history = HistoricalRecords()

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("alias_list", "aliases"),
        index.SearchField("nutrient_terms", "aliases"),
        index.SearchField("mechanism", "summary"),
        # What the sources say comes first: ranking on PostgreSQL reads the
        # opening of the body.
        index.SearchField("published_passages"),
        index.SearchField("symptom_names"),
        index.SearchField("area_names"),
    ]
    search_position = 2

    class Meta:
        ordering = ["name"]
        constraints = [
            # A deficiency or an excess is always of some nutrient.
            models.CheckConstraint(
                condition=~Q(category__in=["nutrient_deficiency", "nutrient_excess"])
                | Q(nutrient__isnull=False),
                name="cause_nutrient_category_has_nutrient",
            ),
        ]
        indexes = [
            # The causes table filtered by category, read in order of name.
            models.Index(fields=["category", "name"], name="cause_category_by_name"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:cause-detail", self.slug)

    @classmethod
    def search_queryset(cls) -> CauseQuerySet:
        return (
            cls.objects.with_relations()
            .with_evidence()
            .with_evidence(through="nutrient__")
        )

    @property
    def urgency_grade(self) -> int | None:
        if "urgency" in self.__dict__:  # annotated (with_grades)
            return self.__dict__["urgency"]
        return self.graded("urgency")

    @property
    def commonality_grade(self) -> int | None:
        if "commonality" in self.__dict__:
            return self.__dict__["commonality"]
        return self.graded("commonality")

    @property
    def is_urgent(self) -> bool:
        return self.urgency_grade == Urgency.HIGH

    def mechanism(self) -> str:
        return self.first_stated("mechanism")

    def nutrient_terms(self) -> list[str]:
        if self.nutrient is None:
            return []
        return [self.nutrient.name, *self.nutrient.deficiency_names()]

    def symptom_names(self) -> str:
        return ", ".join(symptom.name for symptom in self.symptoms.all())

    def area_names(self) -> str:
        return ", ".join(area.name for area in self.body_areas.all())
