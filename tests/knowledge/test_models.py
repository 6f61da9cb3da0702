from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from knowledge.models import Article, Cause, Evidence, FoodSource
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    EvidenceFactory,
    FoodSourceFactory,
    NutrientFactory,
    state,
)

pytestmark = pytest.mark.django_db


def test_published_excludes_drafts_reviews_and_future_dates():
    live = ArticleFactory()
    ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None)
    ArticleFactory(status=Article.Status.APPROVED, published_at=None)
    ArticleFactory(published_at=timezone.now() + timedelta(days=1))
    assert list(Article.objects.published()) == [live]


def test_saving_an_article_caches_its_sanitised_html():
    article = ArticleFactory(body="Hello <script>alert(1)</script> **world**")
    assert "<strong>world</strong>" in article.body_html
    assert "<script" not in article.body_html
    article.body = "Changed"
    article.save(update_fields=["body"])
    article.refresh_from_db()
    assert article.body_html == "<p>Changed</p>"


def test_a_published_article_must_have_a_publication_date():
    with pytest.raises(IntegrityError), transaction.atomic():
        ArticleFactory(status=Article.Status.PUBLISHED, published_at=None)


def test_evidence_is_about_exactly_one_cause_or_nutrient():
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(cause=None, nutrient=None)
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(nutrient=NutrientFactory())
    assert EvidenceFactory(cause=None, nutrient=NutrientFactory()).pk


def test_evidence_needs_a_passage():
    with pytest.raises(IntegrityError), transaction.atomic():
        EvidenceFactory(passage="")


def test_a_deficiency_cause_must_name_its_nutrient():
    with pytest.raises(IntegrityError), transaction.atomic():
        CauseFactory(category=Cause.Category.NUTRIENT_DEFICIENCY, nutrient=None)
    assert CauseFactory(
        category=Cause.Category.NUTRIENT_DEFICIENCY, nutrient=NutrientFactory()
    ).pk


def test_a_grade_is_read_from_the_sources_words_never_set_apart():
    rated = state(CauseFactory(), "urgency", "High (requires medical evaluation)")
    assert rated.grade == Cause.Urgency.HIGH
    common = state(CauseFactory(), "commonality", "Very Common")
    assert common.grade == Cause.Commonality.VERY_COMMON
    # A grade typed in is overwritten by the words it comes from.
    rated.grade = Cause.Urgency.LOW
    rated.save()
    rated.refresh_from_db()
    assert rated.grade == Cause.Urgency.HIGH
    assert "grade" not in [f.name for f in Evidence._meta.fields if f.editable]


def test_words_that_open_with_no_grade_are_refused_for_a_graded_aspect():
    unrated = state(CauseFactory(), "urgency", "Moderate, in most cases")
    assert unrated.grade is None
    with pytest.raises(ValidationError, match="must open with one of the grades"):
        unrated.full_clean()


def test_sunlight_cannot_be_given_a_diet_or_called_a_food():
    with pytest.raises(IntegrityError), transaction.atomic():
        FoodSourceFactory(
            kind=FoodSource.Kind.OTHER,
            category=FoodSource.Category.SUNLIGHT,
            diet=FoodSource.Diet.VEGAN,
        )
    with pytest.raises(IntegrityError), transaction.atomic():
        FoodSourceFactory(
            kind=FoodSource.Kind.FOOD, category=FoodSource.Category.SUNLIGHT, diet=""
        )
    sunlight = FoodSourceFactory(
        kind=FoodSource.Kind.OTHER, category=FoodSource.Category.SUNLIGHT, diet=""
    )
    assert str(sunlight) == sunlight.name


@pytest.mark.parametrize(
    "factory", [ArticleFactory, NutrientFactory, CauseFactory, FoodSourceFactory]
)
def test_every_public_model_has_a_name_and_a_working_url(client, factory):
    instance = factory()
    assert str(instance)
    response = client.get(instance.get_absolute_url())
    assert response.status_code == HTTPStatus.OK


def test_evidence_links_to_its_subject_page():
    evidence = EvidenceFactory()
    assert evidence.get_absolute_url() == evidence.cause.get_absolute_url()
    assert evidence.get_stance_display() in str(evidence)
    assert Evidence.objects.get().pk == evidence.pk
