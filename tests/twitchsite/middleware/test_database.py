"""Security headers, cookies and the production settings."""

from http import HTTPStatus

import pytest
from django.urls import reverse

from knowledge import views

pytestmark = pytest.mark.django_db


def assert_security_headers(response, where: str) -> None:
    csp = response["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, where
    for directive in (
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "frame-ancestors 'none'",
        "object-src 'none'",
        "base-uri 'none'",
    ):
        assert directive in csp, (where, directive)
    assert response["X-Frame-Options"] == "DENY", where
    assert response["X-Content-Type-Options"] == "nosniff", where
    assert response["Referrer-Policy"] == "strict-origin-when-cross-origin", where
    assert response["Cross-Origin-Opener-Policy"] == "same-origin", where
    assert "camera=()" in response["Permissions-Policy"], where
    hsts = response["Strict-Transport-Security"]
    max_age = int(hsts.split("max-age=")[1].split(";")[0])
    assert max_age >= 365 * 24 * 3600, where
    assert "includeSubDomains" in hsts, where


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
