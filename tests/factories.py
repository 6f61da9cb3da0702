import factory
from django.utils import timezone

from knowledge.models import (
    Article,
    BodyArea,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Condition,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
)


class SourceDocumentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SourceDocument

    key = factory.Sequence(lambda n: f"doc-{n}")
    filename = factory.LazyAttribute(lambda o: f"{o.key}.txt")
    text = factory.Faker("paragraph")
    title = factory.Sequence(lambda n: f"Document {n}")


class ArticleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Article
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Article {n}")
    slug = factory.Sequence(lambda n: f"article-{n}")
    summary = "A short summary."
    body = "## Heading\n\nSome *text*.\n\n| A | B |\n|---|---|\n| 1 | 2 |\n"
    status = Article.Status.PUBLISHED
    published_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def live(obj, create, extracted, **kwargs):
        """A published article is live: readers see a copy of its text."""
        if obj.status == Article.Status.PUBLISHED and obj.published_at:
            obj.take_live_copy()
            if create:
                obj.save()


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
    """A quote, and the document it quotes: made to hold the passage.

    The article gets a source document if it has none, and a passage the document
    lacks is added to its text, so that the quote stands where it says.
    """

    class Meta:
        model = Evidence

    article = factory.SubFactory(ArticleFactory)
    cause = factory.SubFactory(CauseFactory)
    aspect = Evidence.Aspect.LINK
    passage = "A verbatim passage."

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        article, passage = kwargs["article"], kwargs["passage"]
        source = article.source
        if source is None:
            source = SourceDocumentFactory(text=passage)
            article.source = source
            article.save(update_fields=["source"])
        elif passage not in source.text:
            source.text += "\n" + passage
            source.save()
        kwargs["start"] = source.text.index(passage)
        kwargs["end"] = kwargs["start"] + len(passage)
        return super()._create(model_class, *args, **kwargs)


class SymptomFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Symptom

    name = factory.Sequence(lambda n: f"Symptom {n}")
    slug = factory.Sequence(lambda n: f"symptom-{n}")


class BodyAreaFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = BodyArea
        django_get_or_create = ["slug"]

    name = factory.LazyAttribute(lambda o: o.slug.title())
    slug = "face"


class ConditionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Condition

    name = factory.Sequence(lambda n: f"Condition {n}")
    slug = factory.Sequence(lambda n: f"condition-{n}")


def link_symptom(cause: Cause, symptom: Symptom, article: Article | None = None):
    """Record that an article says ``symptom`` accompanies ``cause``."""
    evidence = EvidenceFactory(
        cause=cause,
        aspect=Evidence.Aspect.SYMPTOMS,
        article=article or ArticleFactory(),
        passage=symptom.name,
    )
    return CauseSymptom.objects.create(cause=cause, symptom=symptom, evidence=evidence)


def link_area(cause: Cause, area: BodyArea):
    evidence = EvidenceFactory(
        cause=cause, aspect=Evidence.Aspect.BODY_AREA, passage=area.name
    )
    return CauseBodyArea.objects.create(cause=cause, body_area=area, evidence=evidence)


def link_food(nutrient: Nutrient, food: FoodSource):
    evidence = EvidenceFactory(
        cause=None,
        nutrient=nutrient,
        aspect=Evidence.Aspect.FOOD_SOURCES,
        passage=food.name,
    )
    return NutrientFood.objects.create(
        nutrient=nutrient, food=food, evidence=evidence, stated_as=food.name
    )


def state(subject, aspect: str, words: str, **fields) -> Evidence:
    """Quote a source stating ``words`` of one aspect of a cause or nutrient."""
    kind = type(subject).__name__.lower()
    subjects = {"cause": None, "nutrient": None, "condition": None, kind: subject}
    return EvidenceFactory(aspect=aspect, passage=words, **subjects, **fields)
