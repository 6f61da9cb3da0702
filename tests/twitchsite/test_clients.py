"""Who is asking: one client address for login lockouts and rate limits alike."""

from http import HTTPStatus

import pytest
from django.test import RequestFactory
from django.urls import reverse

from twitchsite.clients import UNKNOWN, client_address

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


@pytest.fixture
def editor(django_user_model):
    return django_user_model.objects.create_user(
        "editor", password="correct horse battery", is_staff=True
    )


def attempt(client, password, username="editor", address="198.51.100.7"):
    return client.post(
        LOGIN,
        {"username": username, "password": password, "next": "/admin/"},
        REMOTE_ADDR=address,
    )


LOGIN = reverse("admin:login")


def test_right_password_logs_in(client, editor):
    response = attempt(client, "correct horse battery")
    assert response.status_code == HTTPStatus.FOUND
    assert response["Location"] == "/admin/"


def test_five_failures_lock_out_even_the_right_password(client, editor):
    for _ in range(4):
        assert attempt(client, "wrong").status_code == HTTPStatus.OK
    locked = attempt(client, "wrong")  # the fifth failure locks
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
    response = attempt(client, "correct horse battery")
    assert response.status_code == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many failed logins" in response.text
    assert "_auth_user_id" not in client.session


def test_lockout_is_per_username_and_address(client, editor, django_user_model):
    django_user_model.objects.create_user("other", password="other pass", is_staff=True)
    for _ in range(5):
        attempt(client, "wrong")
    # The same user from another address, and another user from this one, may log in.
    other_address = attempt(client, "correct horse battery", address="203.0.113.1")
    assert other_address.status_code == HTTPStatus.FOUND
    client.logout()
    other_user = attempt(client, "other pass", username="other")
    assert other_user.status_code == HTTPStatus.FOUND


def test_a_success_before_the_limit_resets_the_count(client, editor):
    for _ in range(4):
        attempt(client, "wrong")
    assert attempt(client, "correct horse battery").status_code == HTTPStatus.FOUND
    client.logout()
    for _ in range(4):
        assert attempt(client, "wrong").status_code == HTTPStatus.OK


PROXY = "10.0.0.2"


@pytest.mark.parametrize(
    ("behind_proxy", "meta", "expected"),
    [
        (False, {"REMOTE_ADDR": "198.51.100.7"}, "198.51.100.7"),
        # Without the proxy setting, a client's own header is ignored.
        (
            False,
            {"REMOTE_ADDR": "198.51.100.7", "HTTP_X_FORWARDED_FOR": "203.0.113.9"},
            "198.51.100.7",
        ),
        # Behind the proxy, the hop it appended; what the client wrote before it is
        # not believed.
        (
            True,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "1.2.3.4, 203.0.113.9"},
            "203.0.113.9",
        ),
        (True, {"REMOTE_ADDR": "10.0.0.2"}, "10.0.0.2"),
        (
            True,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "2001:db8::1"},
            "2001:db8::1",
        ),
        # Anything that is not an address falls back, never fails.
        (
            True,
            {"REMOTE_ADDR": "10.0.0.2", "HTTP_X_FORWARDED_FOR": "nonsense"},
            "10.0.0.2",
        ),
        (False, {"REMOTE_ADDR": ""}, UNKNOWN),
        (False, {"REMOTE_ADDR": "<script>"}, UNKNOWN),
    ],
)
def test_the_client_address(settings, behind_proxy, meta, expected):
    settings.BEHIND_PROXY = behind_proxy
    request = RequestFactory().get("/", **meta)
    assert client_address(request) == expected


def test_behind_the_proxy_a_lockout_is_per_client_not_per_proxy(
    client, editor, settings
):
    settings.BEHIND_PROXY = True
    proxy = "10.0.0.2"
    for _ in range(5):
        client.post(
            LOGIN,
            {"username": "editor", "password": "wrong", "next": "/admin/"},
            REMOTE_ADDR=proxy,
            HTTP_X_FORWARDED_FOR="198.51.100.7",
        )
    other = client.post(
        LOGIN,
        {"username": "editor", "password": "correct horse battery", "next": "/admin/"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.8",
    )
    assert other.status_code == HTTPStatus.FOUND, "another client is not locked out"
    locked = client.post(
        LOGIN,
        {"username": "editor", "password": "correct horse battery", "next": "/admin/"},
        REMOTE_ADDR=proxy,
        HTTP_X_FORWARDED_FOR="198.51.100.7",
    )
    assert locked.status_code == HTTPStatus.TOO_MANY_REQUESTS
