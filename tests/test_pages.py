"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

import json
import re
from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from knowledge.models import Article
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    FoodSourceFactory,
    NutrientFactory,
    SymptomFactory,
    link_food,
    link_symptom,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def json_ld(response) -> dict:
    match = re.search(
        r'<script type="application/ld\+json">(.*?)</script>', response.text, re.S
    )
    assert match, "no JSON-LD on the page"
    return json.loads(match.group(1))


@pytest.fixture
def articles():
    live = ArticleFactory(title="Live article", slug="live")
    draft = ArticleFactory(
        title="Draft article",
        slug="draft",
        status=Article.Status.DRAFT,
        published_at=None,
    )
    return live, draft


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


def test_json_ld_cannot_break_out_of_its_script_element(client):
    article = ArticleFactory(title="</script><script>alert(1)</script>")
    response = client.get(article.get_absolute_url())
    assert "</script><script>alert(1)" not in response.text
    assert json_ld(response)["name"] == article.title


def test_cause_page_describes_a_medical_condition(client):
    cause = CauseFactory(name="Eye strain", mechanism="Strained muscles.")
    link_symptom(cause, SymptomFactory(name="Tiredness"))
    data = json_ld(client.get(cause.get_absolute_url()))
    assert data["@type"] == "MedicalCondition"
    assert data["signOrSymptom"] == [
        {"@type": "MedicalSignOrSymptom", "name": "Tiredness"}
    ]
    assert data["pathophysiology"] == "Strained muscles."


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
    with django_assert_num_queries(5):
        client.get(nutrient.get_absolute_url())
    with django_assert_num_queries(3):
        client.get(foods[0].get_absolute_url())
    cause = nutrient.causes.first()
    with django_assert_num_queries(5):
        response = client.get(cause.get_absolute_url())
    assert response.text.count("/foods/food-") == count


def test_about_page_lists_the_sources_and_policy(client, knowledge_base):
    response = client.get(reverse("knowledge:about"))
    assert "Not stated in our sources".lower() in response.text.lower()
    assert response.text.count("(document 00") == 4
    assert "Medical disclaimer" in response.text


def test_feed_lists_only_published_articles(client, articles):
    response = client.get(reverse("knowledge:feed"))
    assert response.status_code == HTTPStatus.OK
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = ElementTree.fromstring(response.content)
    titles = [entry.findtext(f"{ATOM}title") for entry in feed.iter(f"{ATOM}entry")]
    assert titles == ["Live article"]


def test_sitemap_lists_published_pages_only(client, articles):
    cause = CauseFactory()
    response = client.get(reverse("knowledge:sitemap"))
    assert response.status_code == HTTPStatus.OK
    locations = [
        element.text
        for element in ElementTree.fromstring(response.content).iter(f"{SITEMAP}loc")
    ]
    assert "http://testserver/articles/live/" in locations
    assert "http://testserver/articles/draft/" not in locations
    assert f"http://testserver{cause.get_absolute_url()}" in locations
    assert "http://testserver/causes/" in locations


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


@pytest.mark.parametrize("count", [3, 30])
def test_feed_and_sitemap_query_counts_do_not_grow(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    CauseFactory.create_batch(count)
    NutrientFactory.create_batch(count)
    FoodSourceFactory.create_batch(count)
    with django_assert_num_queries(1):
        client.get(reverse("knowledge:feed"))
    # Per section: the paginator's count and the page of items (the static
    # pages section needs neither).
    with django_assert_num_queries(8):
        client.get(reverse("knowledge:sitemap"))
