"""Several app servers, as `make serve` runs them, behind a pretend load balancer.

What ``tests/site/test_scale_out.py`` builds on: a scratch PostgreSQL database on the
suite's server and a scratch Redis database, both made for the test and removed after
it; gunicorn processes with gunicorn.conf.py and the production settings, each with
folders of its own (``tests/site/scale_out_settings.py``), sharing nothing but those
two databases; and visitors that reach them as the load balancer would pass them on:
one public host name, HTTPS terminated in front (``X-Forwarded-Proto``), and the
visitor's address in ``X-Forwarded-For``.
"""

from __future__ import annotations

import http.client
import json
import os
import re
import secrets
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from http import HTTPStatus
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit

import psycopg
import redis
from psycopg import sql

from tools import serve
from tools.serve import INHERITED_EXCLUDED, free_port

ROOT = Path(__file__).resolve().parents[2]
SITE_HOST = "twitch.example.org"
SITE_URL = f"https://{SITE_HOST}"
# Where the suite finds Redis when REDIS_URL does not say.
DEFAULT_REDIS = "redis://127.0.0.1:6379"
# The key every app server's cache puts before its keys (twitchsite.settings).
CACHE_KEY_PREFIX = "twitchsite:"
REDIS_CLAIM_KEY = "tests.site.scale_out:claimed"
COMMAND_TIMEOUT = 180
START_SECONDS = 30
HTTP_TIMEOUT = 30
CSRF_FIELD = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

# Editors for the tests, and reviewed edits of published articles, waiting to be
# published: made with the editorial services, as the admin makes them.
PREPARE_EDITORIAL = """
import json
from django.contrib.auth.models import Group, User
from editorial.services import article_record_edit, article_transition
from knowledge.models import Article

def person(name, group):
    user = User.objects.create_user(name, password={password!r}, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user

author = person("author", "Authors")
reviewer = person("reviewer", "Medical reviewers")
person("publisher", "Publishers")
edits = []
for article in Article.objects.published().order_by("slug")[:{count}]:
    live_title = article.live_title
    article.title = live_title + " (revised edition)"
    article_record_edit(article=article, user=author)
    article_transition(article=article, user=author, action="submit")
    article_transition(article=article, user=reviewer, action="approve")
    edits.append(dict(
        pk=article.pk, slug=article.slug, live_title=live_title, title=article.title
    ))
print(json.dumps(edits))
"""


class Unavailable(Exception):
    """A service the tests need is not there; the message says which."""


def postgres_url() -> str | None:
    url = os.environ.get("DATABASE_URL", "")
    return url if url.startswith(("postgres://", "postgresql://")) else None


def with_path(url: str, path: str) -> str:
    return urlsplit(url)._replace(path=path).geturl()


@contextmanager
def scratch_postgres_database(server_url: str) -> Iterator[str]:
    """A new, empty database on the server of ``server_url``; dropped after."""
    name = f"twitchsite_scale_out_{secrets.token_hex(4)}"
    with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
        admin.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield with_path(server_url, f"/{name}")
    finally:
        with psycopg.connect(server_url, autocommit=True, connect_timeout=10) as admin:
            admin.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                    sql.Identifier(name)
                )
            )


def redis_server() -> tuple[str, set[int]]:
    """The Redis server to use, and the database numbers that are not ours to take:
    0, and the one REDIS_URL names (the suite's own cache may flush it)."""
    configured = os.environ.get("REDIS_URL", "")
    if not configured:
        return DEFAULT_REDIS, {0}
    parts = urlsplit(configured)
    number = parts.path.strip("/")
    taken = {0, int(number)} if number.isdigit() else {0}
    return parts._replace(path="", query="").geturl(), taken


@contextmanager
def scratch_redis_database() -> Iterator[str]:
    """The URL of an empty Redis database, claimed for the block; emptied after."""
    server, taken = redis_server()
    try:
        probe = redis.Redis.from_url(server, socket_timeout=5)
        probe.ping()
    except redis.RedisError as error:
        raise Unavailable(f"Redis does not answer at {server}: {error}") from None
    try:
        count = int(probe.config_get("databases")["databases"])
    except (redis.RedisError, KeyError, ValueError):
        count = 16
    token = uuid.uuid4().hex
    for number in range(count - 1, 0, -1):
        if number in taken:
            continue
        client = redis.Redis.from_url(f"{server}/{number}", socket_timeout=5)
        # Claim before looking: two runs never take the same database.
        if client.set(REDIS_CLAIM_KEY, token, nx=True, ex=3600):
            if client.dbsize() == 1:
                break
            client.delete(REDIS_CLAIM_KEY)
    else:
        raise Unavailable(f"every Redis database at {server} holds data already")
    try:
        yield f"{server}/{number}"
    finally:
        client.delete(*client.scan_iter(f"{CACHE_KEY_PREFIX}*"), REDIS_CLAIM_KEY)


def shared_environment(database_url: str, redis_url: str, **settings: str) -> dict:
    """What every app server is given: the production settings, behind the load
    balancer, with the one secret key, database and Redis they share."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_", "TEST_"))
        and name not in INHERITED_EXCLUDED
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tests.site.scale_out_settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": redis_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": SITE_HOST,
        "DJANGO_SITE_URL": SITE_URL,
        "DJANGO_BEHIND_PROXY": "true",
        "GUNICORN_BIND_HOST": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": "",
        "WEB_CONCURRENCY": "1",
        **settings,
    }


def manage(env: dict[str, str], *args: str) -> str:
    return serve.manage(env, *args, timeout=COMMAND_TIMEOUT)


@dataclass
class Server:
    """One app server: gunicorn with its own port, folders and log."""

    name: str
    folder: Path
    env: dict[str, str]
    port: int = field(default_factory=free_port)
    process: subprocess.Popen | None = None

    @property
    def log_file(self) -> Path:
        return self.folder / "gunicorn.log"

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-6000:]
        except OSError:
            return ""

    def start(self) -> None:
        with self.log_file.open("wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "twitchsite.wsgi"],
                cwd=ROOT,
                env={**self.env, "PORT": str(self.port)},
                stdout=log,
                stderr=subprocess.STDOUT,
            )

    def wait_until_serving(self) -> None:
        deadline = time.monotonic() + START_SECONDS
        while True:
            assert self.process.poll() is None, f"{self} exited:\n{self.log()}"
            try:
                if Visitor("192.0.2.1").get(self, "/robots.txt").status == 200:
                    return
            except OSError:
                pass
            assert time.monotonic() < deadline, f"{self} never served:\n{self.log()}"
            time.sleep(0.1)

    def stop(self) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=5)

    def assert_healthy(self) -> None:
        """Still the same process, and no error was logged."""
        assert self.process.poll() is None, f"{self} exited:\n{self.log()}"
        assert "Traceback" not in self.log(), self.log()

    def __str__(self) -> str:
        return f"server {self.name} (port {self.port})"


def server_folders(server: Server) -> dict[str, str]:
    """The folders a server writes to: its own, as on a machine of its own."""
    folders = {
        "TEST_STATIC_ROOT": server.folder / "static",
        "TEST_MEDIA_ROOT": server.folder / "media",
        "TMPDIR": server.folder / "tmp",
    }
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    return {name: str(folder) for name, folder in folders.items()}


@contextmanager
def app_servers(
    env: dict[str, str], base: Path, names: tuple[str, ...], password: str, edits: int
) -> Iterator[tuple[list[Server], list[dict]]]:
    """Servers over one database, filled and prepared meanwhile; stopped after.

    Yields the servers and the reviewed edits waiting to be published.
    """
    servers = [Server(name, base / name, env) for name in names]
    for server in servers:
        server.env = {**env, **server_folders(server)}

    def fill() -> list[dict]:
        first = servers[0].env
        manage(first, "migrate", "--noinput", "-v0")
        manage(first, "load_knowledge", "-v0")
        code = PREPARE_EDITORIAL.format(password=password, count=edits)
        return json.loads(manage(first, "shell", "-v0", "-c", code).splitlines()[-1])

    with ThreadPoolExecutor(max_workers=len(servers) + 1) as pool:
        filled = pool.submit(fill)
        collected = [
            pool.submit(manage, server.env, "collectstatic", "--noinput", "-v0")
            for server in servers
        ]
        prepared = filled.result()
        for done in collected:
            done.result()
    try:
        for server in servers:
            server.start()
        for server in servers:
            server.wait_until_serving()
        yield servers, prepared
    finally:
        for server in servers:
            server.stop()


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: str

    def csrf_token(self) -> str:
        match = CSRF_FIELD.search(self.body)
        assert match, f"no CSRF token in the page ({self.status}):\n{self.body[:500]}"
        return match.group(1)


class Visitor:
    """A browser with its own cookies, at its own address, behind the load balancer.

    Each request goes to the server named: the load balancer's choice, made here.
    """

    def __init__(self, address: str):
        self.address = address
        self.cookies: dict[str, str] = {}

    def request(
        self,
        server: Server,
        method: str,
        path: str,
        body: bytes = b"",
        content_type: str = "",
    ) -> Response:
        headers = {
            "Host": SITE_HOST,
            "X-Forwarded-Proto": "https",
            "X-Forwarded-For": self.address,
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        if method == "POST":
            headers |= {"Origin": SITE_URL, "Content-Type": content_type}
        connection = http.client.HTTPConnection(
            "127.0.0.1", server.port, timeout=HTTP_TIMEOUT
        )
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            content = response.read()
            self.remember(response.msg.get_all("Set-Cookie") or [])
            return Response(
                response.status,
                {name.lower(): value for name, value in response.getheaders()},
                content.decode("utf-8", errors="replace"),
            )
        finally:
            connection.close()

    def remember(self, set_cookies: list[str]) -> None:
        for header in set_cookies:
            cookie = SimpleCookie()
            cookie.load(header)
            for name, morsel in cookie.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value

    def get(self, server: Server, path: str) -> Response:
        return self.request(server, "GET", path)

    def post(self, server: Server, path: str, fields: dict[str, str]) -> Response:
        body = urlencode(fields).encode()
        return self.request(
            server, "POST", path, body, "application/x-www-form-urlencoded"
        )

    def log_in(self, server: Server, username: str, password: str) -> Response:
        """Log in to the admin on the server; the answer to the login form."""
        form = self.get(server, "/admin/login/?next=/admin/")
        assert form.status == HTTPStatus.OK, form
        fields = {
            "csrfmiddlewaretoken": form.csrf_token(),
            "username": username,
            "password": password,
            "next": "/admin/",
        }
        return self.post(server, "/admin/login/", fields)
