"""The pages that are not about one subject: home, articles, about, robots."""

import html
import re
from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Article, ArticleRedirect, Evidence
from knowledge.views import HomeView
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    NutrientFactory,
)
from tests.knowledge.structured import json_ld

pytestmark = pytest.mark.django_db


DISCLAIMER = "is for information only and is not medical advice"


@pytest.mark.parametrize("count", [3, 30])
def test_home_lists_published_articles_and_the_places_in_two_queries(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    ArticleFactory(status=Article.Status.DRAFT, published_at=None, title="Secret")
    # The latest articles; the conditions, by where they are felt.
    with django_assert_num_queries(2):
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
    client, django_assert_num_queries, settings, related
):
    settings.PAGE_CACHE_SECONDS = 0  # each request renders its page
    article = ArticleFactory()
    article.live_causes.set(CauseFactory.create_batch(related))
    # The article looked up by its address; then, for its content, the article,
    # its nutrients, its causes, the general guidance.
    with django_assert_num_queries(5):
        response = client.get(article.get_absolute_url())
    assert response.status_code == HTTPStatus.OK
    assert "<table>" in response.text and "<th>A</th>" in response.text
    assert DISCLAIMER in response.text
    assert "Not yet medically reviewed" in response.text
    assert response.text.count("/causes/cause-") == related
    # Until the content changes, its content is kept: only the lookup is left.
    with django_assert_num_queries(1):
        again = client.get(article.get_absolute_url())
    assert again.content == response.content


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


def test_the_page_links_the_live_causes_and_nutrients_not_the_working_ones(client):
    article = ArticleFactory()
    live_cause, working_cause = CauseFactory(), CauseFactory()
    live_nutrient, working_nutrient = NutrientFactory(), NutrientFactory()
    article.live_causes.set([live_cause])
    article.live_nutrients.set([live_nutrient])
    article.causes.set([working_cause])
    article.nutrients.set([working_nutrient])
    response = client.get(article.get_absolute_url())
    for live in (live_cause, live_nutrient):
        assert live.get_absolute_url() in response.text
    for working in (working_cause, working_nutrient):
        assert working.get_absolute_url() not in response.text
    assert [about["name"] for about in json_ld(response)["about"]] == [live_cause.name]


def article_url(slug: str) -> str:
    return reverse("knowledge:article-detail", args=[slug])


def test_an_old_address_answers_301_to_the_live_one_in_one_step(client):
    article = ArticleFactory(slug="eyelid-twitches")
    for old in ("eyelid-twitching", "twitching-eyelids"):
        ArticleRedirect.objects.create(old_slug=old, article=article)
        response = client.get(article_url(old))
        assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
        assert response["Location"] == article_url("eyelid-twitches")


def test_a_redirect_never_shadows_a_live_article(client):
    moved = ArticleFactory(slug="eyelid-twitches")
    ArticleFactory(title="Now here", slug="eyelid-twitching")
    ArticleRedirect.objects.create(old_slug="eyelid-twitching", article=moved)
    response = client.get(article_url("eyelid-twitching"))
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Now here</h1>" in response.text


def test_an_old_address_of_an_article_readers_cannot_see_is_not_found(client):
    article = ArticleFactory(status=Article.Status.DRAFT, published_at=None)
    ArticleRedirect.objects.create(old_slug="eyelid-twitching", article=article)
    response = client.get(article_url("eyelid-twitching"))
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


@pytest.mark.parametrize("count", [3, 30])
def test_article_list_shows_published_articles_with_fixed_queries(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    ArticleFactory(status=Article.Status.IN_REVIEW, published_at=None, title="Hidden")
    with django_assert_num_queries(2):  # the count, the page
        response = client.get(reverse("knowledge:article-list"))
    assert len(response.context["articles"]) == min(count, 20)
    assert "Hidden" not in response.text
    # Page 2, before the content changes: the count is kept.
    with django_assert_num_queries(1):
        client.get(reverse("knowledge:article-list"), {"page": 2 if count > 20 else 1})


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
