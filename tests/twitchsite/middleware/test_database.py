"""Security headers, cookies and the production settings."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge import views
from tests.twitchsite.middleware.headers import assert_security_headers

pytestmark = pytest.mark.django_db


def test_database_outage_gives_a_503_page_not_a_stack_trace(client, monkeypatch):
    from django.db import OperationalError

    def unavailable(self, request, *args, **kwargs):
        raise OperationalError("connection to server at 127.0.0.1 failed")

    monkeypatch.setattr(views.AboutView, "get", unavailable)
    client.raise_request_exception = False
    response = client.get(reverse("knowledge:about"), secure=True)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert b"Back in a moment" in response.content
    assert b"127.0.0.1" not in response.content
    assert response["Retry-After"] == "30"
    assert "no-store" in response["Cache-Control"]
    assert_security_headers(response, "503")
