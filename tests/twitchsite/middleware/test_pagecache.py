"""Anonymous pages come from the cache; any content change shows at once."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge.models import Article
from tests.factories import ArticleFactory, CauseFactory
from twitchsite.settings import caches_for

pytestmark = pytest.mark.django_db


def test_second_anonymous_request_is_a_cache_hit_with_no_queries(
    client, django_assert_num_queries
):
    ArticleFactory(title="Cached article")
    first = client.get(reverse("knowledge:home"))
    assert first["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        second = client.get(reverse("knowledge:home"))
    assert second["X-Cache"] == "hit"
    assert second.content == first.content
    assert "Content-Security-Policy" in second


def test_an_edit_or_a_publication_is_visible_at_once(client):
    cause = CauseFactory(name="Old name")
    client.get(cause.get_absolute_url())
    cause.name = "New name"
    cause.save()
    assert "New name" in client.get(cause.get_absolute_url()).text
    home = client.get(reverse("knowledge:home"))
    assert "Fresh article" not in home.text
    article = ArticleFactory(title="Fresh article")
    assert "Fresh article" in client.get(reverse("knowledge:home")).text
    Article.objects.get(pk=article.pk).delete()
    assert "Fresh article" not in client.get(reverse("knowledge:home")).text


def test_logged_in_editors_never_get_or_fill_the_public_cache(client, admin_user):
    client.force_login(admin_user)
    response = client.get(reverse("knowledge:home"))
    assert "X-Cache" not in response
    client.logout()
    assert client.get(reverse("knowledge:home"))["X-Cache"] == "miss"


def test_conditional_get_answers_304(client):
    ArticleFactory()
    response = client.get(reverse("knowledge:article-list"))
    etag = response["ETag"]
    again = client.get(reverse("knowledge:article-list"), HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == HTTPStatus.NOT_MODIFIED
    assert again.content == b""


def test_exports_and_search_are_never_served_from_the_cache(client):
    url = reverse("knowledge:cause-list")
    for _ in range(2):
        assert "X-Cache" not in client.get(url, {"format": "csv"})
        assert "X-Cache" not in client.get(reverse("search:search"), {"q": "x"})


def test_pages_still_serve_when_redis_is_down(client, settings):
    settings.CACHES = caches_for("redis://127.0.0.1:1/0")  # nothing listens there
    ArticleFactory(title="Still here")
    for _ in range(2):
        response = client.get(reverse("knowledge:home"))
        assert response.status_code == HTTPStatus.OK
        assert "Still here" in response.text
        assert "X-Cache" not in response
    search = client.get(reverse("search:search"), {"q": "still"})
    assert search.status_code == HTTPStatus.OK
    export = client.get(reverse("knowledge:cause-list"), {"format": "csv"})
    assert export.status_code == HTTPStatus.OK
    ArticleFactory(title="Written while the cache is down")
