"""The page of each cause, nutrient and food."""

import html
from datetime import datetime
from http import HTTPStatus

import pytest
from django.urls import reverse
from django.utils import timezone

from editorial.models import ReviewerProfile
from knowledge.content_version import bump_content_version
from knowledge.models import Article, Cause, Evidence, Nutrient
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    EvidenceFactory,
    FoodSourceFactory,
    NutrientFactory,
    link_food,
)

pytestmark = pytest.mark.django_db


DISCLAIMER = "is for information only and is not medical advice"


@pytest.mark.parametrize("passages", [1, 25])
def test_cause_page_shows_evidence_with_a_fixed_number_of_queries(
    client, django_assert_num_queries, passages
):
    cause = CauseFactory()
    EvidenceFactory.create_batch(passages, cause=cause, passage="Quoted words.")
    with django_assert_num_queries(7):
        response = client.get(cause.get_absolute_url())
    every_passage = response.text.split('id="evidence-heading"')[1]
    assert every_passage.count("Quoted words.") == passages


def test_cause_page_hides_evidence_from_unpublished_articles(client):
    cause = CauseFactory()
    draft = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    EvidenceFactory(cause=cause, article=draft, passage="Unreviewed claim.")
    response = client.get(cause.get_absolute_url())
    assert "Unreviewed claim." not in response.text
    assert "Our sources do not say how it is linked to twitching." in response.text
    assert "Our sources do not say how it causes twitching, how common it is" in (
        response.text
    )


def test_cause_page_says_what_the_sources_do_not_state(client, knowledge_base):
    cause = Cause.objects.get(slug="vitamin-d-deficiency")
    response = client.get(cause.get_absolute_url())
    text = response.text
    # Commonality and urgency are not stated for vitamin D deficiency: one
    # sentence says so, instead of a "Not stated" block for each.
    assert (
        "Our sources do not say how common it is, or how urgently to see a doctor"
        in (text)
    )
    assert "Not stated in our sources" not in text
    assert "Our sources do not all agree." in text
    assert "mixed results" in text


def test_nutrient_page_shows_disagreement_and_foods(
    client, knowledge_base, django_assert_num_queries
):
    nutrient = Nutrient.objects.get(slug="magnesium")
    with django_assert_num_queries(7):
        response = client.get(nutrient.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert response.text.count(">Leafy greens</a>") == 1
    assert "hypomagnesemia" in response.text


def test_food_page_lists_each_nutrient_once(
    client, knowledge_base, django_assert_num_queries
):
    # The food looked up by its address; then the food; its pairings with their
    # quotes; its nutrients, what the sources say of them, and their causes.
    with django_assert_num_queries(6):
        response = client.get(reverse("knowledge:food-detail", args=["leafy-greens"]))
    assert response.text.count(">Magnesium</a>") == 1
    assert response.text.count(">Calcium</a>") == 1


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


@pytest.mark.parametrize("count", [1, 20])
def test_detail_pages_query_counts_do_not_grow(
    client, django_assert_num_queries, settings, count
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    nutrient = NutrientFactory()
    foods = FoodSourceFactory.create_batch(count)
    for food in foods:
        link_food(nutrient, food)
    CauseFactory.create_batch(count, category="nutrient_deficiency", nutrient=nutrient)
    # Each page looks its subject up by its address, then renders its content.
    # The first page read after a change reads the general guidance on when to
    # see a doctor too; the pages after it share it until the next change.
    with django_assert_num_queries(7):
        client.get(nutrient.get_absolute_url())
    with django_assert_num_queries(6):
        client.get(foods[0].get_absolute_url())
    cause = nutrient.causes.first()
    # The cause; its symptoms, body areas and evidence; its nutrient's foods and
    # what the sources say of the nutrient's role; the sources' words for its
    # symptoms.
    with django_assert_num_queries(8):
        response = client.get(cause.get_absolute_url())
    assert response.text.count("/foods/food-") == count
    # Until the content changes, each page's content is kept: only the lookup.
    for url in (nutrient, foods[0], cause):
        with django_assert_num_queries(1):
            client.get(url.get_absolute_url())
    bump_content_version()
    with django_assert_num_queries(9):  # and the guidance, read again
        client.get(cause.get_absolute_url())


def test_cause_page_quotes_link_to_their_passages(client, knowledge_base):
    cause = Cause.objects.get(slug="neurological-conditions")
    response = client.get(cause.get_absolute_url())
    quotes = cause.evidence.exclude(aspect=Evidence.Aspect.NAME)
    assert quotes.count() > 3
    for quote in quotes:
        assert f'href="{quote.get_passage_url()}"' in response.text


def test_every_cause_page_shows_the_general_guidance_from_all_four_documents(
    client, knowledge_base
):
    general = Evidence.objects.filter(condition__general=True, aspect="warning")
    assert {quote.article_id for quote in general} == set(
        Article.objects.values_list("pk", flat=True)
    )
    for cause in Cause.objects.all():
        page = html.unescape(client.get(cause.get_absolute_url()).text)
        assert 'id="doctor-guidance"' in page
        for quote in general:
            assert quote.get_passage_url() in page, (cause, quote)
        # Where the general guidance applies, the section never says "Not stated".
        card = page.split('id="doctor-guidance"')[1].split("</section>")[0]
        assert "Not stated" not in card


def test_the_names_the_sources_give_facial_twitching_are_shown_as_a_disagreement(
    client, knowledge_base
):
    page = client.get(reverse("knowledge:condition-detail", args=["facial-twitching"]))
    text = html.unescape(page.text)
    box = text[text.index("The sources do not use these names alike") :]
    box = box[: box.index("</div>")]
    assert "also known as hemifacial spasm" in box
    assert "medically known as fasciculations" in box
    assert "is myokymia" in box


def test_a_qualified_symptom_keeps_the_sources_words(client, knowledge_base):
    cause = Cause.objects.get(slug="magnesium-deficiency")
    page = html.unescape(client.get(cause.get_absolute_url()).text)
    assert 'Seizures</a> <span class="stated-words">(“in severe cases, seizures”)' in (
        page
    )


def test_the_sources_disagree_on_what_blood_tests_show(client, knowledge_base):
    cause = Cause.objects.get(slug="vitamin-b12-deficiency")
    page = html.unescape(client.get(cause.get_absolute_url()).text)
    assert "Blood tests can identify specific deficiencies" in page
    assert "can cause neurological symptoms even with normal blood tests" in page
    assert "The sources do not all agree" in page


def test_a_page_says_who_reviewed_the_documents_it_quotes_and_which_not_yet(
    client, django_user_model, django_assert_num_queries
):
    reviewer = django_user_model.objects.create_user("reviewer")
    ReviewerProfile.objects.create(user=reviewer, name="Dr Ada Lane", credential="MD")
    reviewed = ArticleFactory(title="Reviewed document")
    Article.objects.filter(pk=reviewed.pk).update(
        live_reviewed_by=reviewer,
        live_reviewed_at=timezone.make_aware(datetime(2026, 3, 4, 12)),
    )
    unreviewed = ArticleFactory(title="Unreviewed document")
    cause = CauseFactory()
    for article in (reviewed, unreviewed):
        EvidenceFactory(cause=cause, article=article, passage=f"From {article.pk}.")

    with django_assert_num_queries(7):  # as many as without a review
        response = client.get(cause.get_absolute_url())
    review = html.unescape(response.text.split('class="review-status"')[1])
    review = " ".join(review.split("</p>")[0].split())
    assert "Medically reviewed:" in review
    assert "Reviewed document</a> by <strong>Dr Ada Lane, MD</strong>" in review
    assert "4 March 2026" in review
    assert "Not yet medically reviewed:</strong> the passages from" in review
    assert "Unreviewed document" in review


def test_a_page_whose_documents_no_one_reviewed_says_so(client):
    cause = CauseFactory()
    EvidenceFactory(cause=cause, passage="Quoted words.")
    response = client.get(cause.get_absolute_url())
    assert "Not yet medically reviewed:</strong> this page quotes" in response.text
    assert "no medical reviewer has signed it off yet" in response.text
