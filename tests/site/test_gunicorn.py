"""gunicorn as gunicorn.conf.py configures it: which forwarded headers it trusts,
and the size of the requests it reads.

gunicorn's defaults trust ``X-Forwarded-Proto`` and a ``SCRIPT_NAME`` header from
loopback. Here the site is served on loopback and asked with those headers: without
``DJANGO_BEHIND_PROXY`` gunicorn ignores them all; with it, it trusts the scheme the
load balancer sets, and still no ``SCRIPT_NAME``. The site runs in production mode
over an empty database: the answers asked for need neither the collected static
files nor any data.
"""

from __future__ import annotations

import os
import runpy
import secrets
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from http import HTTPStatus
from pathlib import Path
from unittest import mock

import pytest
from gunicorn.config import Config

from tools.serve import free_port
from twitchsite.settings import env_bool

ROOT = Path(__file__).resolve().parents[2]


START_SECONDS = 30


TIMEOUT_SECONDS = 10


def gunicorn_settings(**env: str) -> dict:
    """The settings gunicorn.conf.py gives gunicorn, as gunicorn validates them."""
    with mock.patch.dict(os.environ):
        os.environ.pop("DJANGO_BEHIND_PROXY", None)
        os.environ.update(env)
        namespace = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    config = Config()
    for name, value in namespace.items():
        if name in config.settings:
            config.set(name, value)
    return {name: config.settings[name].get() for name in config.settings}


def test_without_a_proxy_gunicorn_trusts_no_forwarded_header():
    settings = gunicorn_settings()
    assert settings["forwarded_allow_ips"] == []
    assert settings["forwarder_headers"] == []
    assert settings["secure_scheme_headers"] == {}


@pytest.mark.parametrize("value", ["true", "1", "yes", "on"])
def test_behind_the_proxy_gunicorn_trusts_only_the_scheme_it_sets(value):
    settings = gunicorn_settings(DJANGO_BEHIND_PROXY=value)
    assert settings["forwarded_allow_ips"] == ["*"]
    assert settings["secure_scheme_headers"] == {"X-FORWARDED-PROTO": "https"}
    assert settings["forwarder_headers"] == []


@pytest.mark.parametrize("value", ["TRUE", " on ", "0", "false", "no", "", "maybe"])
def test_gunicorn_reads_behind_proxy_as_django_does(monkeypatch, value):
    trusted = gunicorn_settings(DJANGO_BEHIND_PROXY=value)["secure_scheme_headers"]
    monkeypatch.setenv("DJANGO_BEHIND_PROXY", value)
    assert bool(trusted) == env_bool("DJANGO_BEHIND_PROXY")


def test_gunicorn_limits_the_request_line_and_headers():
    settings = gunicorn_settings()
    assert settings["limit_request_line"] == 4094
    assert settings["limit_request_fields"] == 50
    assert settings["limit_request_field_size"] == 8190


@contextmanager
def served(**env: str) -> Iterator[int]:
    """The site under gunicorn and gunicorn.conf.py, on a free port of loopback."""
    port = free_port()
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "FORWARDED_"))
        and name not in {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "PORT"}
    }
    environment = {
        **inherited,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_SECURE_SSL_REDIRECT": "true",
        "DATABASE_URL": "sqlite://:memory:",
        "GUNICORN_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "1",
        "PORT": str(port),
        **env,
    }
    with tempfile.TemporaryFile("w+") as log:
        process = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "twitchsite.wsgi"],
            cwd=ROOT,
            env=environment,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        try:
            wait_until_listening(port, process, log)
            yield port
        finally:
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def wait_until_listening(port: int, process: subprocess.Popen, log) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                log.seek(0)
                pytest.fail(f"gunicorn did not start:\n{log.read()}")
            time.sleep(0.1)


def exchange(port: int, head: str, body: bytes = b"") -> tuple[int, dict[str, str]]:
    """Send a request as given, byte for byte; the status and headers of the answer.

    The answer is read while the body is only partly sent, so a server that waits
    for all of it never answers (``socket.timeout``).
    """
    with socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_SECONDS) as sock:
        sock.sendall(head.replace("\n", "\r\n").encode() + b"\r\n" + body)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = sock.recv(65536)
            if not chunk:
                break
            answer += chunk
    status_line, *lines = answer.split(b"\r\n\r\n")[0].decode().split("\r\n")
    headers = dict(line.split(": ", 1) for line in lines)
    return int(status_line.split()[1]), {k.lower(): v for k, v in headers.items()}


def get(port: int, path: str, *headers: str) -> tuple[int, dict[str, str]]:
    lines = "".join(f"{header}\n" for header in headers)
    return exchange(port, f"GET {path} HTTP/1.1\nHost: 127.0.0.1\n{lines}")


@pytest.fixture(scope="module")
def direct_site() -> Iterator[int]:
    with served() as port:
        yield port


@pytest.fixture(scope="module")
def proxied_site() -> Iterator[int]:
    with served(DJANGO_BEHIND_PROXY="true") as port:
        yield port


def test_without_a_proxy_a_forwarded_scheme_is_ignored(direct_site):
    status, headers = get(direct_site, "/robots.txt", "X-Forwarded-Proto: https")
    assert status == HTTPStatus.MOVED_PERMANENTLY
    assert headers["location"] == "https://127.0.0.1/robots.txt"


def test_a_script_name_header_is_ignored(direct_site, proxied_site):
    status, headers = get(direct_site, "/robots.txt", "SCRIPT_NAME: /evil")
    assert status == HTTPStatus.MOVED_PERMANENTLY
    assert headers["location"] == "https://127.0.0.1/robots.txt"
    status, _ = get(
        proxied_site, "/robots.txt", "SCRIPT_NAME: /evil", "X-Forwarded-Proto: https"
    )
    assert status == HTTPStatus.OK


def test_behind_the_proxy_its_forwarded_scheme_is_trusted(proxied_site):
    status, _ = get(proxied_site, "/robots.txt", "X-Forwarded-Proto: https")
    assert status == HTTPStatus.OK
    status, _ = get(proxied_site, "/robots.txt")
    assert status == HTTPStatus.MOVED_PERMANENTLY


def test_a_request_with_too_many_headers_is_refused(direct_site):
    headers = [f"X-Filler-{index}: x" for index in range(60)]
    status, _ = get(direct_site, "/robots.txt", *headers)
    assert status == HTTPStatus.REQUEST_HEADER_FIELDS_TOO_LARGE


def test_an_oversized_body_is_refused_before_it_is_read(proxied_site):
    """An anonymous upload of 40 MB: Django's CSRF check would read all of it."""
    boundary = "b" * 20
    part = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
        'filename="a.png"\r\nContent-Type: image/png\r\n\r\n'
    ).encode()
    status, headers = exchange(
        proxied_site,
        "POST /markdownx/upload/ HTTP/1.1\nHost: 127.0.0.1\n"
        "X-Forwarded-Proto: https\nOrigin: https://127.0.0.1\n"
        f"Cookie: csrftoken={'a' * 32}\n"
        f"Content-Type: multipart/form-data; boundary={boundary}\n"
        f"Content-Length: {40 * 1024 * 1024}\n",
        # A little of the 40 MB: the answer comes without the rest.
        part + b"\0" * 65536,
    )
    assert status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert headers["connection"] == "close"
