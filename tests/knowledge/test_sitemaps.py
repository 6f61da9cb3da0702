"""The reader's other pages: articles, about, feed, sitemap, robots, SEO markup."""

from http import HTTPStatus
from xml.etree import ElementTree

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    CauseFactory,
    ConditionFactory,
    FoodSourceFactory,
    NutrientFactory,
)

pytestmark = pytest.mark.django_db


SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


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
    assert "http://testserver/conditions/" in locations


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
    # Per section: the paginator's count and the page of items (the static
    # pages section needs neither).
    with django_assert_num_queries(10):
        client.get(reverse("knowledge:sitemap"))
