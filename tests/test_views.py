from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Article, Cause, Evidence, Nutrient
from knowledge.views import HomeView
from tests.factories import ArticleFactory, CauseFactory, EvidenceFactory

pytestmark = pytest.mark.django_db

DISCLAIMER = "is for information only and is not medical advice"


@pytest.mark.parametrize("count", [3, 30])
def test_home_lists_published_articles_in_one_query(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Secret")
    with django_assert_num_queries(1):
        response = client.get(reverse("knowledge:home"))
    assert response.status_code == HTTPStatus.OK
    assert len(response.context["articles"]) == min(count, HomeView.latest_count)
    assert b"Secret" not in response.content
    assert DISCLAIMER in response.text


def test_home_explains_when_nothing_is_published(client):
    response = client.get(reverse("knowledge:home"))
    assert "No articles have been published yet." in response.text


@pytest.mark.parametrize("related", [1, 20])
def test_article_page_renders_body_with_a_fixed_number_of_queries(
    client, django_assert_num_queries, related
):
    article = ArticleFactory()
    article.causes.set(CauseFactory.create_batch(related))
    with django_assert_num_queries(3):
        response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "<table>" in response.text and "<th>A</th>" in response.text
    assert DISCLAIMER in response.text
    assert "Not yet medically reviewed" in response.text
    assert response.text.count("/causes/cause-") == related


@pytest.mark.parametrize(
    "status", [Article.Status.DRAFT, Article.Status.IN_REVIEW, Article.Status.APPROVED]
)
def test_reader_cannot_see_an_unpublished_article(client, status):
    article = ArticleFactory(status=status, published_at=None)
    response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_unknown_article_is_not_found(client):
    response = client.get(reverse("knowledge:article-detail", args=["nope"]))
    assert response.status_code == HTTPStatus.NOT_FOUND


def test_real_article_page_shows_the_source_table(client, knowledge_base):
    response = client.get(
        reverse("knowledge:article-detail", args=["causes-of-muscle-twitches"])
    )
    assert response.status_code == HTTPStatus.OK
    assert "<th>Urgency to See Doctor</th>" in response.text
    assert "<td>Persistent, widespread spasms</td>" in response.text
    assert "003_aa20c54c79f17f9d.txt" in response.text


@pytest.mark.parametrize("passages", [1, 25])
def test_cause_page_shows_evidence_with_a_fixed_number_of_queries(
    client, django_assert_num_queries, passages
):
    cause = CauseFactory()
    EvidenceFactory.create_batch(passages, cause=cause, passage="Quoted words.")
    with django_assert_num_queries(4):
        response = client.get(cause.get_absolute_url())
    assert response.text.count("Quoted words.") == passages


def test_cause_page_hides_evidence_from_unpublished_articles(client):
    cause = CauseFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    EvidenceFactory(cause=cause, article=draft, passage="Unreviewed claim.")
    response = client.get(cause.get_absolute_url())
    assert "Unreviewed claim." not in response.text
    assert "Not stated in our sources." in response.text


def test_cause_page_says_what_the_sources_do_not_state(client, knowledge_base):
    cause = Cause.objects.get(slug="vitamin-d-deficiency")
    response = client.get(cause.get_absolute_url())
    text = response.text
    # Commonality and urgency are not stated for vitamin D deficiency.
    assert text.count("Not stated in our sources") >= 2
    assert "The sources do not all agree." in text
    assert "mixed results" in text


def test_nutrient_page_shows_disagreement_and_foods(
    client, knowledge_base, django_assert_num_queries
):
    nutrient = Nutrient.objects.get(slug="magnesium")
    with django_assert_num_queries(5):
        response = client.get(nutrient.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert response.text.count(">Leafy greens</a>") == 1
    assert "hypomagnesemia" in response.text


def test_food_page_lists_each_nutrient_once(
    client, knowledge_base, django_assert_num_queries
):
    with django_assert_num_queries(3):
        response = client.get(reverse("knowledge:food-detail", args=["leafy-greens"]))
    assert response.text.count(">Magnesium</a>") == 1
    assert response.text.count(">Calcium</a>") == 1


def test_admin_lists_each_model(admin_client, knowledge_base):
    for model in ("article", "nutrient", "cause", "foodsource", "evidence"):
        response = admin_client.get(reverse(f"admin:knowledge_{model}_changelist"))
        assert response.status_code == HTTPStatus.OK, model
    evidence = Evidence.objects.filter(cause__isnull=False).first()
    response = admin_client.get(
        reverse("admin:knowledge_cause_change", args=[evidence.cause_id])
    )
    assert response.status_code == HTTPStatus.OK


def test_nutrient_page_shows_where_sources_disagree_about_its_deficiency(
    client, knowledge_base
):
    response = client.get(Nutrient.objects.get(slug="vitamin-b12").get_absolute_url())
    text = response.text
    assert "The sources do not all agree." in text
    assert 'On <a href="/causes/vitamin-b12-deficiency/">' in text
    assert "recognized symptom of B12 deficiency" in text
    assert "no specific vitamin deficiency has been linked directly" in text
    assert "stance-disputes" in text
