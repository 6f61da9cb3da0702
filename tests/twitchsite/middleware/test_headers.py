"""Security headers, cookies and the production settings."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge import views
from tests.factories import ArticleFactory, CauseFactory
from tests.twitchsite.middleware.headers import assert_security_headers

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages(db):
    article = ArticleFactory()
    cause = CauseFactory()
    return {
        "home": reverse("knowledge:home"),
        "article": article.get_absolute_url(),
        "table": reverse("knowledge:cause-list") + "?sort=name",
        "detail": cause.get_absolute_url(),
        "search": reverse("search:search") + "?q=twitch",
        "about": reverse("knowledge:about"),
        "admin login": reverse("admin:login"),
        "not found": "/no/such/page/",
        "bad request": reverse("knowledge:cause-list") + "?area=knee",
    }


def test_every_kind_of_page_carries_the_security_headers(client, pages):
    for where, path in pages.items():
        response = client.get(path, secure=True)
        assert response.status_code in {200, 400, 404}, where
        assert_security_headers(response, where)


def test_a_server_error_page_carries_them_too(client, monkeypatch):
    def broken(request):
        raise RuntimeError("boom")

    monkeypatch.setattr(views.AboutView, "get", lambda self, request: broken(request))
    client.raise_request_exception = False
    response = client.get(reverse("knowledge:about"), secure=True)
    assert response.status_code == HTTPStatus.INTERNAL_SERVER_ERROR
    assert b"Something went wrong" in response.content
    assert b"boom" not in response.content
    assert_security_headers(response, "500")
