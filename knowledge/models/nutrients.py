"""Nutrients, and the foods (and sunlight) that provide them."""

from __future__ import annotations

from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from knowledge.links import slug_url
from knowledge.models.articles import Article
from knowledge.models.entities import (
    ARTICLE_TEXTS,
    EvidenceSubject,
    SubjectQuerySet,
)
from search import index


class NutrientQuerySet(SubjectQuerySet):
    def with_relations(self) -> NutrientQuerySet:
        # A food linked by two sources has two through rows: show it once.
        return self.prefetch_related(
            models.Prefetch("foods", queryset=FoodSource.objects.distinct()),
            "causes",
        )


class Nutrient(EvidenceSubject, index.Indexed, models.Model):
    """A nutrient. Its name and kind are ours; its role, the name of its
    deficiency and the foods that provide it are its evidence, quoted."""

    class Kind(models.TextChoices):
        VITAMIN = "vitamin", "Vitamin"
        MINERAL = "mineral", "Mineral"
        FATTY_ACID = "fatty_acid", "Fatty acid"

    name = models.CharField(max_length=100, unique=True)
    slug = models.SlugField(max_length=100, unique=True)
    kind = models.CharField(
        max_length=20, choices=Kind, help_text="Our classification (editorial)."
    )
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
        index.SearchField("deficiency_names", "aliases"),
        index.SearchField("search_summary", "summary"),
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

    @classmethod
    def search_queryset(cls) -> NutrientQuerySet:
        return cls.objects.with_relations().with_evidence()

    def deficiency_names(self) -> list[str]:
        """The names the sources give a deficiency of it, as they write them."""
        names: dict[str, str] = {}
        for evidence in self.stated("deficiency_name"):
            names.setdefault(evidence.stated_value.lower(), evidence.stated_value)
        return list(names.values())

    def search_summary(self) -> str:
        return self.first_stated("definition") or self.first_stated("role")

    def food_names(self) -> str:
        return ", ".join(food.name for food in self.foods.all())


class FoodSourceQuerySet(models.QuerySet):
    def with_relations(self) -> FoodSourceQuerySet:
        return self.prefetch_related(
            models.Prefetch("nutrients", queryset=Nutrient.objects.distinct())
        )

    def with_pairings(self) -> FoodSourceQuerySet:
        """Prefetch, as ``pairings``, each published statement that it provides a
        nutrient, with the source's own words for it."""
        pairing = self.model._meta.get_field("nutrientfood").related_model
        return self.prefetch_related(
            models.Prefetch(
                "nutrientfood_set",
                queryset=pairing.objects.filter(
                    Article.published_q("evidence__article__")
                )
                .select_related("nutrient", "evidence__article__source")
                .defer(*(f"evidence__{text}" for text in ARTICLE_TEXTS))
                .order_by("nutrient__name", "pk"),
                to_attr="pairings",
            )
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
    category = models.CharField(
        max_length=20, choices=Category, help_text="Our classification (editorial)."
    )
    diet = models.CharField(
        max_length=20,
        choices=Diet,
        blank=True,
        help_text="Our classification (editorial). Leave empty where suitability "
        "is not clear.",
    )

    objects = FoodSourceQuerySet.as_manager()
    history = HistoricalRecords()

    search_fields = [
        index.SearchField("name", "title"),
        index.SearchField("stated_names", "aliases"),
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
        indexes = [
            # The foods table sorted by category either way, then by name: each
            # page read in order from an index.
            models.Index(fields=["category", "name", "id"], name="food_by_category"),
            models.Index(
                fields=["-category", "name", "id"], name="food_by_category_desc"
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return slug_url("knowledge:food-detail", self.slug)

    @classmethod
    def search_queryset(cls) -> FoodSourceQuerySet:
        return cls.objects.with_relations().with_pairings()

    def stated_names(self) -> list[str]:
        """The words the sources use for it ("Leafy greens (spinach)")."""
        names: dict[str, str] = {}
        for pairing in self.pairings:
            if pairing.stated_as.lower() != self.name.lower():
                names.setdefault(pairing.stated_as.lower(), pairing.stated_as)
        return list(names.values())

    def stated_nutrients(self) -> list[Nutrient]:
        """The nutrients published evidence says it provides, once each."""
        return list({p.nutrient_id: p.nutrient for p in self.pairings}.values())

    def search_summary(self) -> str:
        nutrients = ", ".join(n.name for n in self.stated_nutrients())
        category = self.get_category_display()
        return f"{category}. Provides {nutrients}." if nutrients else category
