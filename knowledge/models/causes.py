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
    SourceCountsQuerySet,
    Symptom,
    Urgency,
)
from knowledge.models.nutrients import Nutrient
from search import index


class CauseQuerySet(SourceCountsQuerySet):
    def with_relations(self) -> CauseQuerySet:
        # Symptoms and body areas stated by several sources appear once each.
        return self.select_related("nutrient").prefetch_related(
            models.Prefetch("symptoms", queryset=Symptom.objects.distinct()),
            models.Prefetch("body_areas", queryset=BodyArea.objects.distinct()),
        )


class Cause(EvidenceSubject, index.Indexed, models.Model):
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

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("alias_list", "aliases"),
        index.SearchField("nutrient_terms", "aliases"),
        index.SearchField("mechanism", "summary"),
        # What the sources say comes first: ranking on PostgreSQL reads the
        # opening of the body.
        index.SearchField("published_passages"),
        index.SearchField("recommended_action"),
        index.SearchField("warning_signs"),
        index.SearchField("symptom_names"),
        index.SearchField("area_names"),
    ]
    search_position = 2

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

    @classmethod
    def search_queryset(cls) -> CauseQuerySet:
        return cls.objects.with_relations().with_published_passages()

    def nutrient_terms(self) -> list[str]:
        if self.nutrient is None:
            return []
        return [self.nutrient.name, self.nutrient.deficiency_term]

    def symptom_names(self) -> str:
        return ", ".join(symptom.name for symptom in self.symptoms.all())

    def area_names(self) -> str:
        return ", ".join(area.name for area in self.body_areas.all())
