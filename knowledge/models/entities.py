"""What the sources are about, and what every subject of a quote shares.

Causes, nutrients and conditions hold no fact of their own: every value a reader
sees comes from their evidence, in the source's own words (``Evidence``). What the
site decides itself (a cause's category, a nutrient's kind, a food's diet) is
marked as editorial wherever it shows.
"""

from __future__ import annotations

import re

from django.db import models
from django.db.models import Max, Q
from simple_history.models import HistoricalRecords

from knowledge.models.articles import Article

NOT_STATED = "Not stated in our sources"


class Symptom(models.Model):
    """Something a reader notices alongside a twitch (cramps, tingling...)."""

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)

    history = HistoricalRecords()

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

    history = HistoricalRecords()

    search_dependents = ("causes",)

    class Meta:
        ordering = ["position", "name"]

    def __str__(self) -> str:
        return self.name


class Commonality(models.IntegerChoices):
    """How often a cause is behind a twitch, graded from the sources' words.

    The values leave gaps so that a grade the sources do not use yet (such as
    "uncommon") can be added without renumbering stored rows; sorting is by value.
    """

    RARE = 1, "Rare"
    UNCOMMON = 2, "Uncommon"
    COMMON = 3, "Common"
    VERY_COMMON = 4, "Very common"


class Urgency(models.IntegerChoices):
    """How urgently to see a doctor, graded from the sources' words."""

    LOW = 1, "Low"
    HIGH = 3, "High"


# How prose words a grade, where it does not use the scale's own label. The words
# stay on the page, whole; this table only decides where they sort. Each entry
# reads no more into the words than they say ("one of the most common" is at
# least common, not "very common").
GRADE_PHRASES: dict[str, dict[str, int]] = {
    "Commonality": {
        "one of the most common": Commonality.COMMON,
        "less commonly": Commonality.UNCOMMON,
        "in rarer cases": Commonality.RARE,
    },
    "Urgency": {},
}


def grade_of(words: str, scale: type[models.IntegerChoices]) -> int | None:
    """The grade a stated value opens with: "Low (unless other severe symptoms)"
    grades Low, "Less commonly" Uncommon. The longest label or phrase that matches
    wins ("Very common" over "Common"); words that open with none have no grade."""
    text = " ".join(words.split()).lower()
    openings = {label.lower(): value for value, label in scale.choices}
    openings.update(GRADE_PHRASES.get(scale.__name__, {}))
    for opening in sorted(openings, key=len, reverse=True):
        if re.match(rf"{re.escape(opening)}\b", text):
            return openings[opening]
    return None


# An article's texts, which evidence fetched with its article and source does not
# need: at 100x the ratings table's source is 2.4 MB, and every quote of it came
# with a copy of its text (live_body) until it was deferred too.
ARTICLE_TEXTS = (
    "article__body",
    "article__body_html",
    "article__toc",
    "article__live_body",
    "article__live_body_html",
    "article__live_toc",
    "article__source__text",
)


class SubjectQuerySet(models.QuerySet):
    def with_evidence(self, through: str = ""):
        """Prefetch the evidence of published articles, in order, with its source,
        as ``published_evidence``: what every stated value is read from.

        ``through`` prefetches it for related subjects instead (``"nutrient__"``).
        """
        evidence = self.model._meta.get_field("evidence").related_model
        if through:
            model = self.model
            for name in through.strip("_").split("__"):
                model = model._meta.get_field(name).related_model
            evidence = model._meta.get_field("evidence").related_model
        return self.prefetch_related(
            models.Prefetch(
                f"{through}evidence",
                queryset=evidence.objects.published()
                .select_related(
                    "article__source", "article__live_reviewed_by__reviewer_profile"
                )
                # Every text the quotes' pages need not: a source reproduced as a
                # table of thousands of rows would come with each of its quotes.
                .defer(*ARTICLE_TEXTS),
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

    def with_grades(self):
        """Annotate the urgency and commonality graded from published evidence.

        Where the sources give several, the highest counts: a reader is sent to a
        doctor if any source rates a cause urgent. A disputing passage grades
        nothing.
        """

        def highest(aspect: str) -> Max:
            return Max(
                "evidence__grade",
                filter=Q(evidence__aspect=aspect)
                & ~Q(evidence__stance="disputes")
                & Article.published_q("evidence__article__"),
            )

        return self.annotate(
            urgency=highest("urgency"), commonality=highest("commonality")
        )


class EvidenceSubject:
    """A cause, nutrient or condition: what the sources say of it is its evidence.

    The methods read ``published_evidence`` (``SubjectQuerySet.with_evidence``).
    """

    def stated(self, aspect: str) -> list:
        """What the sources state of one aspect, in their order."""
        return [e for e in self.published_evidence if e.aspect == aspect]

    def statements(self) -> dict[str, list]:
        """Every stated aspect, with what the sources state of it."""
        found: dict[str, list] = {}
        for evidence in self.published_evidence:
            found.setdefault(evidence.aspect, []).append(evidence)
        return found

    def published_passages(self) -> list[str]:
        return [evidence.passage for evidence in self.published_evidence]

    def first_stated(self, aspect: str) -> str:
        stated = self.stated(aspect)
        return stated[0].stated_value if stated else ""

    @property
    def alias_list(self) -> list[str]:
        """The names the sources use for it, other than its own."""
        names = {}
        for evidence in self.stated("name"):
            value = evidence.stated_value
            if value.lower() != self.name.lower():
                names.setdefault(value.lower(), value)
        return sorted(names.values())

    def graded(self, aspect: str) -> int | None:
        """The highest grade the sources give an aspect (see ``with_grades``)."""
        grades = [
            e.grade
            for e in self.stated(aspect)
            if e.grade is not None and e.stance != "disputes"
        ]
        return max(grades, default=None)
