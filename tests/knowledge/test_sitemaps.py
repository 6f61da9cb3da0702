"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from knowledge.models import Article
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    ConditionFactory,
    FoodSourceFactory,
    NutrientFactory,
)

pytestmark = pytest.mark.django_db


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def locations(response) -> list[str]:
    assert response.status_code == HTTPStatus.OK
    root = ElementTree.fromstring(response.content)
    return [element.text for element in root.iter(f"{SITEMAP}loc")]


def test_the_sitemap_is_an_index_of_its_sections(client, articles):
    sections = locations(client.get(reverse("knowledge:sitemap")))
    assert sections == [
        f"http://testserver/sitemap-{section}.xml"
        for section in (
            "pages",
            "articles",
            "conditions",
            "nutrients",
            "causes",
            "foods",
        )
    ]


def test_sitemap_sections_list_published_pages_only(client, articles):
    cause = CauseFactory()
    found = [
        url
        for section in locations(client.get(reverse("knowledge:sitemap")))
        for url in locations(client.get(section.removeprefix("http://testserver")))
    ]
    assert "http://testserver/articles/live/" in found
    assert "http://testserver/articles/draft/" not in found
    assert f"http://testserver{cause.get_absolute_url()}" in found
    assert "http://testserver/causes/" in found
    assert "http://testserver/conditions/" in found


def test_the_sitemap_lists_the_address_readers_find_an_article_at(client, articles):
    live, _draft = articles
    # A new address waits for publication: until then readers find the live one.
    Article.objects.filter(pk=live.pk).update(slug="renamed")
    found = locations(client.get("/sitemap-articles.xml"))
    assert found == ["http://testserver/articles/live/"]


def test_a_section_too_long_for_one_page_goes_on_in_the_index(client, monkeypatch):
    from knowledge import sitemaps

    monkeypatch.setattr(sitemaps.SiteSitemap, "limit", 2)
    CauseFactory.create_batch(5)
    index = locations(client.get(reverse("knowledge:sitemap")))
    causes = [url for url in index if "sitemap-causes" in url]
    assert causes == [
        "http://testserver/sitemap-causes.xml",
        "http://testserver/sitemap-causes.xml?p=2",
        "http://testserver/sitemap-causes.xml?p=3",
    ]
    last = client.get("/sitemap-causes.xml", {"p": 3})
    assert len(locations(last)) == 1
    assert client.get("/sitemap-causes.xml", {"p": 4}).status_code == 404
    assert client.get("/sitemap-nothing.xml").status_code == 404


@pytest.mark.parametrize("count", [3, 30])
def test_feed_and_sitemap_query_counts_do_not_grow(
    client, django_assert_num_queries, count
):
    ArticleFactory.create_batch(count)
    CauseFactory.create_batch(count)
    NutrientFactory.create_batch(count)
    FoodSourceFactory.create_batch(count)
    ConditionFactory.create_batch(count)
    with django_assert_num_queries(1):
        client.get(reverse("knowledge:feed"))
    # Per section with content: the paginator's count; the articles' latest
    # change.
    with django_assert_num_queries(6):
        client.get(reverse("knowledge:sitemap"))
    # A section's page: its slugs, no count.
    with django_assert_num_queries(1):
        client.get(reverse("knowledge:sitemap-section", args=["causes"]))
