"""Brute-force protection on the admin login.

Security headers, cookies and the production settings."""

import os
import re
import subprocess
import sys
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


ROOT = Path(__file__).resolve().parents[2]


def run_settings(**env: str) -> subprocess.CompletedProcess:
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    return subprocess.run(
        [sys.executable, "-c", "import twitchsite.settings as s; print(s.DEBUG)"],
        cwd=ROOT,
        env={**base, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_start_up_fails_loudly_without_a_secret_when_debug_is_off():
    result = run_settings()
    assert result.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in result.stderr


def test_debug_mode_runs_with_a_development_key():
    result = run_settings(DJANGO_DEBUG="true")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "True"


def test_a_secret_key_from_the_environment_allows_production_mode():
    result = run_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_manage_py_defaults_to_local_debug_mode_but_the_wsgi_app_does_not():
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    manage = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "shell",
            "-c",
            "from django.conf import settings; print(settings.DEBUG)",
        ],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )
    assert manage.returncode == 0, manage.stderr
    assert manage.stdout.strip().endswith("True")
    wsgi = subprocess.run(
        [sys.executable, "-c", "import twitchsite.wsgi"],
        cwd=ROOT,
        env=base,
        capture_output=True,
        text=True,
        check=False,
    )
    assert wsgi.returncode != 0
    assert "DJANGO_SECRET_KEY must be set" in wsgi.stderr


def test_redis_url_selects_the_shared_redis_cache():
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = "import twitchsite.settings as s; print(s.CACHES['default']['BACKEND'])"
    shared = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={**base, "DJANGO_DEBUG": "true", "REDIS_URL": "redis://127.0.0.1:6379/3"},
        capture_output=True,
        text=True,
        check=True,
    )
    assert shared.stdout.strip() == "django.core.cache.backends.redis.RedisCache"
    local = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            k: v
            for k, v in {**base, "DJANGO_DEBUG": "true"}.items()
            if k != "REDIS_URL"
        },
        capture_output=True,
        text=True,
        check=True,
    )
    assert local.stdout.strip().endswith("LocMemCache")


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
        "DJANGO_SITE_URL": "https://twitch.example",
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
        cwd=Path(__file__).resolve().parents[2],
    )
    assert done.stdout.strip() == "500", done.stderr
    assert "Traceback" in done.stderr
    assert "RuntimeError: boom in the about page" in done.stderr


def test_email_goes_to_the_console_in_development_and_by_smtp_in_production():
    code = (
        "import twitchsite.settings as s; print(s.EMAIL_BACKEND, s.EMAIL_HOST, "
        "s.EMAIL_PORT, s.EMAIL_HOST_USER, s.EMAIL_USE_TLS, s.DEFAULT_FROM_EMAIL, "
        "sep='|')"
    )
    base = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "EMAIL_", "DEFAULT_FROM_EMAIL"))
    }

    def settings_with(**env: str) -> list[str]:
        done = subprocess.run(
            [sys.executable, "-c", code],
            cwd=ROOT,
            env={**base, **env},
            capture_output=True,
            text=True,
            check=True,
        )
        return done.stdout.strip().split("|")

    assert settings_with(DJANGO_DEBUG="true")[0] == (
        "django.core.mail.backends.console.EmailBackend"
    )
    assert settings_with(
        DJANGO_SECRET_KEY="x" * 50,
        EMAIL_HOST="smtp.example.org",
        EMAIL_PORT="587",
        EMAIL_HOST_USER="editors",
        EMAIL_HOST_PASSWORD="not printed",
        EMAIL_USE_TLS="true",
        DEFAULT_FROM_EMAIL="Twitch Guide <editors@example.org>",
    ) == [
        "django.core.mail.backends.smtp.EmailBackend",
        "smtp.example.org",
        "587",
        "editors",
        "True",
        "Twitch Guide <editors@example.org>",
    ]


ENVIRONMENT_READ = re.compile(
    r"""(?:os\.environ(?:\.get)?[\[(]|env_bool\(|env_list\()\s*["']([A-Z][A-Z0-9_]+)"""
)


@pytest.mark.parametrize("source", ["twitchsite/settings.py", "gunicorn.conf.py"])
def test_every_environment_variable_is_in_the_readme(source):
    names = set(ENVIRONMENT_READ.findall((ROOT / source).read_text()))
    expected = {"settings.py": "DJANGO_SECRET_KEY", "gunicorn.conf.py": "PORT"}
    assert expected[Path(source).name] in names, "the pattern finds what is read"
    readme = (ROOT / "README.md").read_text()
    missing = sorted(name for name in names if f"`{name}`" not in readme)
    assert not missing, f"{source} reads {missing}, which the README does not list"
