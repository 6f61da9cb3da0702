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


# The security review's findings, each reproduced against the middleware.


def test_a_script_name_header_cannot_store_one_page_under_another(client):
    ArticleFactory(title="Hemifacial spasm", slug="hemifacial")
    article = reverse("knowledge:article-detail", args=["hemifacial"])
    # gunicorn once turned a SCRIPT_NAME header into the WSGI prefix: Django routed
    # on the rest of the path while the key held the whole URL.
    poisoned = client.get(article, SCRIPT_NAME=article.rstrip("/"))
    assert "X-Cache" not in poisoned
    response = client.get(article)
    assert response.status_code == HTTPStatus.OK
    assert "<h1>Hemifacial spasm</h1>" in response.text


def test_the_host_header_reaches_neither_the_key_nor_the_page(client, settings):
    settings.ALLOWED_HOSTS = ["twitch.example"]
    settings.SITE_URL = "https://twitch.example"
    ArticleFactory(title="Canonical", slug="canonical")
    article = reverse("knowledge:article-detail", args=["canonical"])
    first = client.get(article, HTTP_HOST="twitch.example:6666")
    assert first["X-Cache"] == "miss"
    assert "6666" not in first.text
    canonical = "https://twitch.example/articles/canonical/"
    assert f'<link rel="canonical" href="{canonical}">' in first.text
    # The same page, whatever port the client named.
    assert client.get(article, HTTP_HOST="twitch.example")["X-Cache"] == "hit"


def test_unknown_parameters_make_no_cache_entries(client):
    CauseFactory()
    home = reverse("knowledge:home")
    assert client.get(home)["X-Cache"] == "miss"
    for n in range(5):
        response = client.get(home, {"utm_source": n})
        assert response.status_code == HTTPStatus.OK
        # Neither read from the cache nor written to it.
        assert "X-Cache" not in response
    assert client.get(home)["X-Cache"] == "hit"


def test_known_parameters_share_an_entry_in_any_order(client):
    CauseFactory()
    url = reverse("knowledge:cause-list")
    first = client.get(url + "?sort=-name&page=1")
    assert first.status_code == HTTPStatus.OK
    assert first["X-Cache"] == "miss"
    assert client.get(url + "?page=1&sort=-name")["X-Cache"] == "hit"


def test_a_made_up_session_cookie_does_not_skip_the_cache(client):
    ArticleFactory()
    home = reverse("knowledge:home")
    client.get(home)
    client.cookies["sessionid"] = "made-up"
    assert client.get(home)["X-Cache"] == "hit"


def test_a_signed_in_editor_still_skips_the_cache(client, admin_user):
    ArticleFactory()
    home = reverse("knowledge:home")
    client.get(home)
    client.force_login(admin_user)
    assert "X-Cache" not in client.get(home)


def test_a_hit_carries_the_headers_the_page_was_rendered_with(client):
    miss = client.get("/")
    hit = client.get("/")
    assert (miss["X-Cache"], hit["X-Cache"]) == ("miss", "hit")
    for header in (
        "Content-Security-Policy",
        "Permissions-Policy",
        "X-Frame-Options",
        "X-Content-Type-Options",
        "Referrer-Policy",
        "ETag",
    ):
        assert hit[header] == miss[header]
    assert hit.content == miss.content


def test_a_hit_with_a_host_not_allowed_is_refused(client):
    client.get("/")
    assert client.get("/", headers={"host": "evil.example"}).status_code == 400
