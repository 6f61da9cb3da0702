"""What the sources are about, and what every cause and nutrient shares.

Fields on causes and nutrients hold the values the tables filter and sort on; where
no source states a value it stays empty and the site says so. Every value is
carried by ``Evidence`` (``knowledge.models.evidence``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

from knowledge.models.articles import Article

NOT_STATED = "Not stated in our sources"


class Symptom(models.Model):
    """Something a reader notices alongside a twitch (cramps, tingling...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    # A cause's search row lists its symptoms.
    search_dependents = ("causes",)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class BodyArea(models.Model):
    """Where a twitch is felt: face, eyelid, nose or general."""

    name = models.CharField(max_length=50, unique=True)
    slug = models.SlugField(max_length=50, unique=True)
    position = models.PositiveSmallIntegerField(default=0)

    search_dependents = ("causes",)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class SourceCountsQuerySet(models.QuerySet):
    def with_published_passages(self):
        """Prefetch the evidence of published articles as ``published_evidence``."""
        evidence = self.model._meta.get_field("evidence").related_model
        return self.prefetch_related(
            models.Prefetch(
                "evidence",
                queryset=evidence.objects.published().only(
                    "passage", "cause_id", "nutrient_id"
                ),
                to_attr="published_evidence",
            )
        )

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


class EvidenceSubject:
    """A cause or nutrient: what the sources say about it is its evidence."""

    def published_passages(self) -> list[str]:
        """The passages of published articles about it (``with_published_passages``)."""
        return [evidence.passage for evidence in self.published_evidence]


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
