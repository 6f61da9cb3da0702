"""Conditions: what a reader feels, named as the sources name it."""

from __future__ import annotations

from django.db import models
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.models.entities import BodyArea, EvidenceSubject, SubjectQuerySet
from search import index


class Condition(EvidenceSubject, index.Indexed, models.Model):
    """A kind of twitch a reader comes with: eyelid twitching, fasciculations...

    Its name is ours; what it is called, what it is and when to see a doctor are
    its evidence, in the sources' words. "Muscle twitches" holds what the sources
    say of every twitch, such as when to see a doctor.
    """

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    area = models.ForeignKey(
        BodyArea,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="conditions",
        help_text="Where it is felt; empty for twitches anywhere.",
    )
    general = models.BooleanField(
        default=False,
        help_text="What the sources say of it applies to every twitch.",
    )
    position = models.PositiveSmallIntegerField(default=0)

    objects = SubjectQuerySet.as_manager()
    history = HistoricalRecords()

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("alias_list", "aliases"),
        index.SearchField("search_summary", "summary"),
        index.SearchField("published_passages"),
    ]
    search_position = 0

    class Meta:
        ordering = ["position", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["general"],
                condition=models.Q(general=True),
                name="condition_one_general",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:condition-detail", self.slug)

    @classmethod
    def search_queryset(cls) -> SubjectQuerySet:
        return cls.objects.with_evidence()

    def search_summary(self) -> str:
        return self.first_stated("definition") or self.first_stated("terminology")
