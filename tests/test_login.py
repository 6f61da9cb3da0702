"""Brute-force protection on the admin login."""

from http import HTTPStatus

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db

LOGIN = reverse("admin:login")


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
