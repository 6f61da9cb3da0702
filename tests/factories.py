import hashlib

import factory
from django.utils import timezone

from knowledge.models import (
    Article,
    Cause,
    Evidence,
    FoodSource,
    Nutrient,
    SourceDocument,
)


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    key = factory.Sequence(lambda n: f"doc-{n}")
    filename = factory.LazyAttribute(lambda o: f"{o.key}.txt")
    text = factory.Faker("paragraph")
    sha256 = factory.LazyAttribute(
        lambda o: hashlib.sha256(o.text.encode()).hexdigest()
    )


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    body = "## Heading\n\nSome *text*.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)


class NutrientFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Nutrient

    name = factory.Sequence(lambda n: f"Nutrient {n}")
    slug = factory.Sequence(lambda n: f"nutrient-{n}")
    kind = Nutrient.Kind.MINERAL


class FoodSourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FoodSource

    name = factory.Sequence(lambda n: f"Food {n}")
    slug = factory.Sequence(lambda n: f"food-{n}")
    category = FoodSource.Category.VEGETABLES
    diet = FoodSource.Diet.VEGAN


class CauseFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Cause

    name = factory.Sequence(lambda n: f"Cause {n}")
    slug = factory.Sequence(lambda n: f"cause-{n}")
    category = Cause.Category.LIFESTYLE


class EvidenceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Evidence

    article = factory.SubFactory(ArticleFactory)
    cause = factory.SubFactory(CauseFactory)
    aspect = Evidence.Aspect.LINK
    passage = "A verbatim passage."
