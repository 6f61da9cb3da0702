"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Article, Cause, Evidence, Nutrient
from knowledge.views import HomeView
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    EvidenceFactory,
    FoodSourceFactory,
    NutrientFactory,
    link_food,
)
from tests.knowledge.structured import json_ld

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
    # The article, its nutrients, its causes, the general guidance.
    with django_assert_num_queries(4):
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
    # Quoted cells are marked, so that a quote can link to its passage.
    page = re.sub(r"</?mark[^>]*>", "", response.text)
    assert "<th>Urgency to See Doctor</th>" in page
    assert "<td>Persistent, widespread spasms</td>" in page
    # The source is described by what it says of itself; it names no author.
    assert "This article reproduces a source document." in page
    assert "Author or publisher: Not stated" in page


@pytest.mark.parametrize("passages", [1, 25])
def test_cause_page_shows_evidence_with_a_fixed_number_of_queries(
    client, django_assert_num_queries, passages
):
    cause = CauseFactory()
    EvidenceFactory.create_batch(passages, cause=cause, passage="Quoted words.")
    with django_assert_num_queries(6):
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
    with django_assert_num_queries(6):
        response = client.get(nutrient.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert response.text.count(">Leafy greens</a>") == 1
    assert "hypomagnesemia" in response.text


def test_food_page_lists_each_nutrient_once(
    client, knowledge_base, django_assert_num_queries
):
    # The food; its pairings with their quotes; its nutrients, what the sources
    # say of them, and their causes.
    with django_assert_num_queries(5):
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


@pytest.mark.parametrize("count", [3, 30])
def test_article_list_shows_published_articles_with_fixed_queries(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, title="Hidden")
    with django_assert_num_queries(2):
        response = client.get(reverse("knowledge:article-list"))
    assert len(response.context["articles"]) == min(count, 20)
    assert "Hidden" not in response.text


def test_article_list_paginates(client):
    ArticleFactory.create_batch(25)
    response = client.get(reverse("knowledge:article-list"), {"page": 2})
    assert len(response.context["articles"]) == 5
    assert 'rel="prev"' in response.text


def test_article_page_has_contents_reading_time_and_structured_data(client):
    body = "## First part\n\n" + "Text " * 600 + "\n\n### A detail\n\nMore."
    article = ArticleFactory(body=body)
    response = client.get(article.get_absolute_url())
    assert '<a href="#first-part">First part</a>' in response.text
    assert 'id="first-part"' in response.text
    assert f"{article.reading_minutes} min read" in response.text
    assert article.reading_minutes == 3
    data = json_ld(response)
    assert data["@type"] == "MedicalWebPage"
    assert data["name"] == article.title
    assert data["url"] == f"http://testserver{article.get_absolute_url()}"


def test_every_page_has_title_description_and_canonical_link(client, knowledge_base):
    for name, args in [
        ("knowledge:home", []),
        ("knowledge:article-list", []),
        ("knowledge:article-detail", ["nutrients-and-nerves"]),
        ("knowledge:cause-list", []),
        ("knowledge:cause-detail", ["eye-strain"]),
        ("knowledge:nutrient-list", []),
        ("knowledge:nutrient-detail", ["calcium"]),
        ("knowledge:food-list", []),
        ("knowledge:food-detail", ["sunlight"]),
        ("knowledge:about", []),
    ]:
        path = reverse(name, args=args)
        response = client.get(path, {"sort": "name"} if "list" in name else {})
        assert response.status_code == HTTPStatus.OK, path
        assert re.search(r"<title>[^<]{10,}</title>", response.text), path
        assert re.search(
            r'<meta name="description" content="[^"]{30,}">', response.text
        )
        assert f'<link rel="canonical" href="http://testserver{path}">' in response.text


@pytest.mark.parametrize("count", [1, 20])
def test_detail_pages_query_counts_do_not_grow(
    client, django_assert_num_queries, count
):
    nutrient = NutrientFactory()
    foods = FoodSourceFactory.create_batch(count)
    for food in foods:
        link_food(nutrient, food)
    CauseFactory.create_batch(count, category="nutrient_deficiency", nutrient=nutrient)
    with django_assert_num_queries(6):
        client.get(nutrient.get_absolute_url())
    with django_assert_num_queries(5):
        client.get(foods[0].get_absolute_url())
    cause = nutrient.causes.first()
    # The cause; its symptoms, body areas and evidence; its nutrient's foods and
    # what the sources say of the nutrient's role; the sources' words for its
    # symptoms; the general guidance on when to see a doctor.
    with django_assert_num_queries(8):
        response = client.get(cause.get_absolute_url())
    assert response.text.count("/foods/food-") == count


def test_about_page_lists_the_sources_and_policy(client, knowledge_base):
    response = client.get(reverse("knowledge:about"))
    assert "Not stated in our sources".lower() in response.text.lower()
    # Each source as it describes itself: none names an author, a date or a URL.
    assert response.text.count("Author or publisher: Not stated") == 4
    assert response.text.count("Date: Not stated") == 4
    assert "our title: the document gives none" in response.text
    assert "Medical disclaimer" in response.text


def test_robots_txt_points_at_the_sitemap(client):
    response = client.get("/robots.txt")
    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.text
    assert "Disallow: /admin/" in response.text


def test_unpublished_article_is_not_found_anywhere(client, articles):
    _, draft = articles
    assert client.get(draft.get_absolute_url()).status_code == HTTPStatus.NOT_FOUND
    for name in ("knowledge:home", "knowledge:article-list", "knowledge:feed"):
        assert "Draft article" not in client.get(reverse(name)).content.decode()


def marked_text(page: str, anchor: str) -> str | None:
    """The text inside the mark with this id, nested marks and all."""
    opening = f'<mark class="passage" id="{anchor}">'
    start = page.find(opening)
    if start == -1:
        return None
    depth, position = 1, start + len(opening)
    for tag in re.finditer(r"<(/?)mark\b[^>]*>", page[position:]):
        depth += -1 if tag.group(1) else 1
        if depth == 0:
            inside = page[position : position + tag.start()]
            return html.unescape(re.sub(r"<[^>]+>", "", inside))
    return None


def test_every_quote_links_to_its_passage_marked_on_its_article(client, knowledge_base):
    pages = {}
    quotes = Evidence.objects.published().select_related("article")
    assert quotes.count() > 150
    for quote in quotes:
        path, _, fragment = quote.get_passage_url().partition("#")
        if path not in pages:
            pages[path] = client.get(path).text
        shown = marked_text(pages[path], fragment)
        assert shown is not None, f"no mark {fragment} on {path}"
        assert " ".join(shown.split()) == " ".join(quote.passage.split())


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
        # A cause with no warning of its own points to it instead of "Not stated".
        if not cause.evidence.filter(aspect="warning").exists():
            assert 'href="#doctor-guidance"' in page


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
