from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone

from knowledge.models import (
    Article,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SourceDocument,
    Symptom,
    grade_of,
)
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    EvidenceFactory,
    FoodSourceFactory,
    NutrientFactory,
    SourceDocumentFactory,
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


def test_published_through_a_relation_means_the_same_on_every_database():
    # SQLite asks which articles are not live; PostgreSQL which are.
    live = ArticleFactory()
    not_live = [
        ArticleFactory(status=Article.Status.DRAFT, published_at=None),
        ArticleFactory(published_at=timezone.now() + timedelta(days=1)),
        ArticleFactory(),
    ]
    Article.objects.filter(pk=not_live[-1].pk).update(live_title="")  # taken down
    cause = CauseFactory()
    quoted = [state(cause, "mechanism", "Words.", article=a) for a in [live, *not_live]]
    assert list(Evidence.objects.published()) == quoted[:1]
    graded = Cause.objects.with_source_counts().get(pk=cause.pk)
    assert graded.supporting_documents == 1
    # A source document that no live article reproduces is not published.
    SourceDocumentFactory()
    sources = SourceDocument.objects.filter(Article.published_q("article__"))
    assert list(sources) == [live.source]


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


@pytest.mark.parametrize(
    ("words", "grade"),
    [
        ("Very Common", Cause.Commonality.VERY_COMMON),
        ("Common", Cause.Commonality.COMMON),
        ("Less commonly", Cause.Commonality.UNCOMMON),
        ("In rarer cases", Cause.Commonality.RARE),
        (
            "One of the most common reasons for muscle twitches",
            Cause.Commonality.COMMON,
        ),
        ("often linked", None),
    ],
)
def test_prose_words_grade_how_common_a_cause_is(words, grade):
    assert grade_of(words, Cause.Commonality) == grade


def test_a_food_cannot_rest_on_a_quote_about_another_nutrient(knowledge_base):
    magnesium = Nutrient.objects.get(slug="magnesium")
    calcium_quote = Evidence.objects.get(
        nutrient__slug="calcium", aspect="food_sources", passage__startswith="Sources"
    )
    link = NutrientFood(
        nutrient=magnesium,
        food=FoodSource.objects.get(slug="almonds"),
        evidence=calcium_quote,
        stated_as="leafy greens",
    )
    with pytest.raises(ValidationError) as refusal:
        link.full_clean()
    assert "about Calcium, not about Magnesium" in str(refusal.value)


def test_a_links_words_must_stand_in_its_quote(knowledge_base):
    quote = Evidence.objects.filter(nutrient__slug="magnesium", aspect="food_sources")[
        0
    ]
    link = NutrientFood(
        nutrient=quote.nutrient,
        food=FoodSource.objects.get(slug="almonds"),
        evidence=quote,
        stated_as="almonds",
    )
    with pytest.raises(ValidationError, match="not in the quoted passage"):
        link.full_clean()


def test_a_symptom_rests_on_a_quote_filed_as_symptoms(knowledge_base):
    cause = Cause.objects.get(slug="magnesium-deficiency")
    link = CauseSymptom(
        cause=cause,
        symptom=Symptom.objects.get(slug="seizures"),
        evidence=cause.evidence.filter(aspect="mechanism")[0],
    )
    with pytest.raises(ValidationError, match="filed as"):
        link.full_clean()


def test_every_link_in_the_knowledge_base_passes_its_checks(knowledge_base):
    for model in (CauseSymptom, CauseBodyArea, NutrientFood):
        for link in model.objects.select_related("evidence"):
            link.full_clean()


def quote_of(passage: str) -> Evidence:
    article = Article.objects.get(slug="fasciculations-and-nutrient-deficiencies")
    return Evidence(
        article=article,
        cause=Cause.objects.get(slug="calcium-deficiency"),
        aspect="body_area",
        passage=passage,
    )


def test_a_fragment_of_a_sentence_is_refused_with_the_whole_sentence(knowledge_base):
    with pytest.raises(ValidationError) as refusal:
        quote_of("muscle cells lose their electrical balance").full_clean()
    message = str(refusal.value)
    assert "Quote whole sentences" in message
    assert "When blood calcium levels drop, a condition called hypocalcemia" in message


def test_a_sentence_that_points_back_is_refused_alone(knowledge_base):
    with pytest.raises(ValidationError, match="pointing back"):
        quote_of(
            "These twitches are often noticeable in the hands, feet, or face."
        ).full_clean()
    whole = quote_of(
        "When blood calcium levels drop, a condition called hypocalcemia, muscle "
        "cells lose their electrical balance, which can result in sudden, painful "
        "cramps or spasms. These twitches are often noticeable in the hands, feet, "
        "or face."
    )
    whole.full_clean()


def test_an_article_stores_its_text_with_unix_line_endings():
    article = ArticleFactory(
        title="Twitches", summary="One.\r\nTwo.\rThree.", body="# A\r\n\r\nText."
    )
    article.refresh_from_db()
    assert (article.summary, article.body) == ("One.\nTwo.\nThree.", "# A\n\nText.")


def test_a_review_is_overdue_past_its_date_or_when_the_live_text_was_never_reviewed():
    today = timezone.localdate()
    reviewed = timezone.now() - timedelta(days=30)
    due = ArticleFactory(
        title="Due", reviewed_at=reviewed, review_due=today - timedelta(days=1)
    )
    never = ArticleFactory(title="Never reviewed")
    ArticleFactory(title="Reviewed", reviewed_at=reviewed, review_due=today)
    ArticleFactory(title="Draft", status=Article.Status.DRAFT, published_at=None)
    assert set(Article.objects.review_overdue()) == {due, never}


def test_two_live_articles_cannot_share_an_address():
    ArticleFactory(slug="eyelids")
    other = ArticleFactory(slug="eyelids-2")
    Article.objects.filter(slug="eyelids").update(slug="renamed")
    with pytest.raises(IntegrityError), transaction.atomic():
        Article.objects.filter(pk=other.pk).update(live_slug="eyelids")
