"""What the sources are about: causes of twitching, nutrients, and their sources.

Fields on these entities hold the values the tables filter and sort on; where no
source states a value it stays empty and the site says so. Every value is carried
by ``Evidence`` (``knowledge.models.evidence``).
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.models.articles import Article
from search import index

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
        from knowledge.models.evidence import Evidence

        return self.prefetch_related(
            models.Prefetch(
                "evidence",
                queryset=Evidence.objects.published().only(
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


class NutrientQuerySet(SourceCountsQuerySet):
    def with_relations(self) -> NutrientQuerySet:
        # A food linked by two sources has two through rows: show it once.
        return self.prefetch_related(
            models.Prefetch("foods", queryset=FoodSource.objects.distinct()),
            "causes",
        )


class Nutrient(EvidenceSubject, index.Indexed, models.Model):
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

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("alias_list", "aliases"),
        index.SearchField("deficiency_term", "aliases"),
        index.SearchField("search_summary", "summary"),
        index.SearchField("role"),
        index.SearchField("food_names"),
        index.SearchField("published_passages"),
    ]
    # Causes name their nutrient among their aliases; foods name what they provide.
    search_dependents = ("causes", "foods")
    search_position = 3
    search_suggested = True

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:nutrient-detail", self.slug)

    @property
    def alias_list(self) -> list[str]:
        return [line.strip() for line in self.aliases.splitlines() if line.strip()]

    @classmethod
    def search_queryset(cls) -> NutrientQuerySet:
        return cls.objects.with_relations().with_published_passages()

    def search_summary(self) -> str:
        return self.summary or self.role

    def food_names(self) -> str:
        return ", ".join(food.name for food in self.foods.all())


class FoodSourceQuerySet(models.QuerySet):
    def with_relations(self) -> FoodSourceQuerySet:
        return self.prefetch_related(
            models.Prefetch("nutrients", queryset=Nutrient.objects.distinct())
        )


class FoodSource(index.Indexed, models.Model):
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

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("examples", "aliases"),
        index.SearchField("search_summary", "summary"),
    ]
    # A nutrient's row lists the foods that provide it.
    search_dependents = ("nutrients",)
    search_kind = "food"
    search_label, search_label_plural = "Food", "Foods"
    search_position = 4

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

    @classmethod
    def search_queryset(cls) -> FoodSourceQuerySet:
        return cls.objects.with_relations()

    def search_summary(self) -> str:
        nutrients = ", ".join(n.name for n in self.nutrients.all())
        category = self.get_category_display()
        return f"{category}. Provides {nutrients}." if nutrients else category


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
