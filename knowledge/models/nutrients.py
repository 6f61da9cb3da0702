"""Nutrients, and the foods (and sunlight) that provide them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.models.entities import EvidenceSubject, SourceCountsQuerySet
from search import index


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
