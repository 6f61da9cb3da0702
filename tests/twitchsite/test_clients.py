"""Search and the exports are rate-limited per client."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_search_answers_429_over_the_limit(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 3}
    url = reverse("search:search")
    for _ in range(3):
        assert client.get(url, {"q": "x"}).status_code == HTTPStatus.OK
    response = client.get(url, {"q": "x"})
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert response["Retry-After"] == "60"
    # Another client is not affected.
    other = client.get(url, {"q": "x"}, REMOTE_ADDR="203.0.113.5")
    assert other.status_code == HTTPStatus.OK


def test_exports_answer_429_over_the_limit_but_pages_do_not(client, settings):
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "export": 2}
    url = reverse("knowledge:food-list")
    for _ in range(2):
        assert client.get(url, {"format": "csv"}).status_code == HTTPStatus.OK
    limited = client.get(url, {"format": "json"})
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert client.get(url).status_code == HTTPStatus.OK


def test_behind_the_load_balancer_clients_are_told_apart_by_its_hop(client, settings):
    settings.BEHIND_PROXY = True
    settings.RATE_LIMITS = {**settings.RATE_LIMITS, "search": 1}
    url = reverse("search:search")
    first = {"HTTP_X_FORWARDED_FOR": "spoofed, 198.51.100.1"}
    second = {"HTTP_X_FORWARDED_FOR": "198.51.100.2"}
    assert client.get(url, {"q": "x"}, **first).status_code == HTTPStatus.OK
    assert client.get(url, {"q": "x"}, **second).status_code == HTTPStatus.OK
    limited = client.get(url, {"q": "x"}, HTTP_X_FORWARDED_FOR="other, 198.51.100.1")
    assert limited.status_code == HTTPStatus.TOO_MANY_REQUESTS
