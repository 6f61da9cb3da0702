"""Security headers, cookies and the production settings."""

import os
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from knowledge import views
from tests.factories import ArticleFactory, CauseFactory

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def pages(db):
    article = ArticleFactory()
    cause = CauseFactory()
    return {
        "home": reverse("knowledge:home"),
        "article": article.get_absolute_url(),
        "table": reverse("knowledge:cause-list") + "?sort=name",
        "detail": cause.get_absolute_url(),
        "search": reverse("knowledge:search") + "?q=twitch",
        "about": reverse("knowledge:about"),
        "admin login": reverse("admin:login"),
        "not found": "/no/such/page/",
        "bad request": reverse("knowledge:cause-list") + "?area=knee",
    }


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


def test_plain_http_is_redirected_to_https_in_production(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    response = client.get(reverse("knowledge:home"))
    assert response.status_code == HTTPStatus.MOVED_PERMANENTLY
    assert response["Location"].startswith("https://")


def test_cookies_are_secure_http_only_and_same_site(client, settings, admin_user):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    client.get(reverse("admin:login"), secure=True)
    csrf = client.cookies["csrftoken"]
    assert csrf["secure"] and csrf["samesite"] == "Lax"
    admin_user.set_password("a long pass phrase")
    admin_user.save()
    client.post(
        reverse("admin:login"),
        {"username": admin_user.username, "password": "a long pass phrase"},
        secure=True,
    )
    session = client.cookies["sessionid"]
    assert session["secure"] and session["httponly"] and session["samesite"] == "Lax"


def test_deploy_checks_pass_with_production_settings():
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env |= {
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "x7#Vq2!mLp9@Rz4$Tn8%Wb1^Yc6&Hd3*Kf5(Gj0)Se-Ua+Io=Ly",
        "DJANGO_ALLOWED_HOSTS": "twitch.example",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


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


def test_a_server_error_is_logged_with_its_traceback():
    # In a process of its own: the test runner replaces standard error, and the
    # logging configuration holds the stream it was set up with.
    script = """
import django
django.setup()
from django.conf import settings
from django.test import Client
from django.test.utils import override_settings
from knowledge import views

# Static files as the test suite has them: uncollected.
plain = "django.contrib.staticfiles.storage.StaticFilesStorage"
override_settings(
    STORAGES={**settings.STORAGES, "staticfiles": {"BACKEND": plain}}
).enable()

def broken(self, request):
    raise RuntimeError("boom in the about page")

views.AboutView.get = broken
client = Client(raise_request_exception=False)
print(client.get("/about/", secure=True).status_code)
"""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "twitchsite.settings"}
    env.update(DJANGO_DEBUG="false", DJANGO_ALLOWED_HOSTS="testserver")
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
        cwd=Path(__file__).resolve().parent.parent,
    )
    assert done.stdout.strip() == "500", done.stderr
    assert "Traceback" in done.stderr
    assert "RuntimeError: boom in the about page" in done.stderr
