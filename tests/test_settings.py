import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


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
