"""More than one machine: two app servers over one PostgreSQL and one Redis.

Two gunicorn processes run as `make serve` runs them (gunicorn.conf.py, the
production settings, DEBUG off), on two ports, behind a pretend load balancer
(``tests/site/scale_out.py``). Each has folders of its own for its static files,
uploads and temporary files, as on a machine of its own; they share only
``DATABASE_URL`` and ``REDIS_URL``, a scratch database of each made for this module
and removed after it. A visitor's requests go to one server or the other, and the
site behaves as one: an edit published through one server shows at once on the
other, sessions and the messages after a redirect carry over, and rate limits and
login lockouts count the requests and failures on both.

These tests run in the PostgreSQL run of the suite only. Where Redis does not answer
they skip, except under CI (``CI=true``), where they fail.
"""

from __future__ import annotations

import itertools
import re
import secrets
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from dataclasses import dataclass
from http import HTTPStatus
from ipaddress import ip_network

import psycopg
import pytest
from django.utils.html import escape
from django_ratelimit.core import _get_window
from psycopg import sql

from editorial.models import ArticleTransition
from tests.site.scale_out import (
    Server,
    Unavailable,
    Visitor,
    app_servers,
    postgres_url,
    scratch_postgres_database,
    scratch_redis_database,
    shared_environment,
)
from tests.tools import tool_missing

pytestmark = pytest.mark.skipif(
    postgres_url() is None,
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://...); "
    "the app servers share a scratch database on that server",
)

SEARCH_RATE_LIMIT = 5


LOGIN_FAILURE_LIMIT = 3


# The published articles the editors have revised, for tests to publish.
EDITS = 2


SEARCH = "/search/?q=magnesium"


STATIC_LINK = re.compile(r'(?:href|src)="(/static/[^"]+)"')


@dataclass
class Site:
    """Two app servers and what the tests know of the data behind them."""

    servers: list[Server]
    edits: list[dict]
    password: str
    database_url: str
    addresses: Iterator[str]

    def visitor(self) -> Visitor:
        """A new visitor, from an address no other visitor has."""
        return Visitor(next(self.addresses))

    def editor(self, username: str, server: Server) -> Visitor:
        editor = self.visitor()
        assert editor.log_in(server, username, self.password).status == HTTPStatus.FOUND
        return editor


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    password = secrets.token_urlsafe(16)
    with ExitStack() as stack:
        database_url = stack.enter_context(scratch_postgres_database(postgres_url()))
        try:
            redis_url = stack.enter_context(scratch_redis_database())
        except Unavailable as missing:
            tool_missing(str(missing))
        env = shared_environment(
            database_url,
            redis_url,
            DJANGO_SEARCH_RATE_LIMIT=str(SEARCH_RATE_LIMIT),
            DJANGO_LOGIN_FAILURE_LIMIT=str(LOGIN_FAILURE_LIMIT),
        )
        servers, edits = stack.enter_context(
            app_servers(
                env,
                tmp_path_factory.mktemp("scale-out"),
                ("A", "B"),
                password=password,
                edits=EDITS,
            )
        )
        # Benchmarking addresses (RFC 2544): more than any run uses.
        addresses = (str(host) for host in ip_network("198.18.0.0/15").hosts())
        yield Site(servers, edits, password, database_url, addresses)


@pytest.fixture
def servers(site: Site) -> Iterator[list[Server]]:
    yield site.servers
    for server in site.servers:
        server.assert_healthy()


def article_page(edit: dict) -> str:
    return f"/articles/{edit['slug']}/"


def transition_path(edit: dict) -> str:
    return f"/admin/knowledge/article/{edit['pk']}/transition/"


def change_path(edit: dict) -> str:
    return f"/admin/knowledge/article/{edit['pk']}/change/"


def warm(reader: Visitor, server: Server, path: str, edit: dict) -> None:
    """Have the server's page cache hold the page as readers see it now."""
    for _ in range(2):
        page = reader.get(server, path)
        assert page.status == HTTPStatus.OK
        assert escape(edit["live_title"]) in page.body
        assert escape(edit["title"]) not in page.body
    assert page.headers.get("x-cache") == "hit"


def test_an_edit_published_through_one_server_shows_at_once_on_the_other(
    site: Site, servers: list[Server]
):
    a, b = servers
    edit = site.edits[0]
    reader = site.visitor()
    pages = [article_page(edit), "/articles/"]
    for path in pages:
        warm(reader, b, path, edit)

    publisher = site.editor("publisher", a)
    # The session begun on A is signed in on B, and B's form is good on A.
    change = publisher.get(b, change_path(edit))
    assert change.status == HTTPStatus.OK
    assert 'value="publish"' in change.body
    fields = {"csrfmiddlewaretoken": change.csrf_token(), "action": "publish"}
    published = publisher.post(a, transition_path(edit), fields)
    assert published.status == HTTPStatus.FOUND
    assert published.headers["location"] == change_path(edit)
    # The message A left for the next page shows on B.
    after = publisher.get(b, change_path(edit))
    assert f"{escape(edit['title'])}” is now published" in after.body

    for path in pages:
        page = reader.get(b, path)
        assert page.status == HTTPStatus.OK
        assert escape(edit["title"]) in page.body, path
        assert page.headers.get("x-cache") == "miss"
    assert escape(edit["title"]) in reader.get(a, article_page(edit)).body


def test_a_session_begun_on_one_server_is_the_same_on_the_other(
    site: Site, servers: list[Server]
):
    a, b = servers
    editor = site.editor("author", b)
    home = editor.get(a, "/admin/")
    assert home.status == HTTPStatus.OK
    assert "<strong>author</strong>" in home.body
    cookies = dict(editor.cookies)

    signed_out = editor.post(
        a, "/admin/logout/", {"csrfmiddlewaretoken": home.csrf_token()}
    )
    assert signed_out.status == HTTPStatus.OK
    # Signing out on A ended the session itself: its old cookie opens nothing on B.
    copy = site.visitor()
    copy.cookies = cookies
    refused = copy.get(b, "/admin/")
    assert refused.status == HTTPStatus.FOUND
    assert refused.headers["location"].startswith("/admin/login/")


def address_with_time_left(site: Site, seconds: float = 30) -> str:
    """An address whose rate-limit window (one minute, placed by the address) has
    ``seconds`` left: its count cannot start again halfway through a test."""
    while True:
        address = next(site.addresses)
        if _get_window(address, 60) - time.time() >= seconds:
            return address


def test_search_rate_limit_counts_the_requests_to_both_servers(
    site: Site, servers: list[Server]
):
    a, b = servers
    reader = Visitor(address_with_time_left(site))
    turns = itertools.islice(itertools.cycle(servers), SEARCH_RATE_LIMIT)
    allowed = [reader.get(server, SEARCH).status for server in turns]
    assert allowed == [HTTPStatus.OK] * SEARCH_RATE_LIMIT
    # Neither server has had the limit on its own: together they have.
    for server in (b, a):
        refused = reader.get(server, SEARCH)
        assert refused.status == HTTPStatus.TOO_MANY_REQUESTS, server
        assert refused.headers["retry-after"].isdigit()
    assert site.visitor().get(b, SEARCH).status == HTTPStatus.OK


def test_login_lockout_counts_the_failures_on_both_servers(
    site: Site, servers: list[Server]
):
    a, b = servers
    intruder = site.visitor()
    turns = itertools.islice(itertools.cycle(servers), LOGIN_FAILURE_LIMIT - 1)
    for server in turns:
        failed = intruder.log_in(server, "reviewer", "not the password")
        assert failed.status == HTTPStatus.OK
        assert "Please enter the correct username and password" in failed.body

    # The limit is reached only by counting the failures on A too.
    locked = intruder.log_in(b, "reviewer", "not the password")
    assert locked.status == HTTPStatus.TOO_MANY_REQUESTS
    assert "Too many failed logins" in locked.body
    for server in (a, b):
        refused = intruder.log_in(server, "reviewer", site.password)
        assert refused.status == HTTPStatus.TOO_MANY_REQUESTS
        assert "sessionid" not in intruder.cookies
    # The lockout is of that client: the reviewer still signs in from elsewhere.
    site.editor("reviewer", a)


def test_every_server_serves_the_static_files_any_server_links_to(
    site: Site, servers: list[Server]
):
    a, b = servers
    reader = site.visitor()
    for linking, serving in ((a, b), (b, a)):
        page = reader.get(linking, "/")
        assert page.status == HTTPStatus.OK
        links = set(STATIC_LINK.findall(page.body))
        assert any(link.endswith(".css") for link in links), links
        for link in links:
            assert reader.get(serving, link).status == HTTPStatus.OK, link


def wait_for_lock(database_url: str, seconds: float = 10) -> None:
    """Wait until some session of the database waits for a lock."""
    deadline = time.monotonic() + seconds
    with psycopg.connect(database_url, autocommit=True) as watcher:
        while True:
            waiting = watcher.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE datname = current_database() AND wait_event_type = 'Lock'"
            ).fetchone()[0]
            if waiting:
                return
            assert time.monotonic() < deadline, "the publish never waited"
            time.sleep(0.05)


def test_a_page_read_while_a_publish_commits_is_not_cached_stale(
    site: Site, servers: list[Server]
):
    a, b = servers
    edit = site.edits[1]
    reader = site.visitor()
    warm(reader, b, article_page(edit), edit)
    publisher = site.editor("publisher", a)
    token = publisher.get(a, change_path(edit)).csrf_token()
    fields = {"csrfmiddlewaretoken": token, "action": "publish"}

    # Hold the publish between its article's save and its commit: its last write,
    # the workflow log, waits for this lock.
    with psycopg.connect(site.database_url) as blocker:
        table = sql.Identifier(ArticleTransition._meta.db_table)
        blocker.execute(sql.SQL("LOCK TABLE {} IN EXCLUSIVE MODE").format(table))
        with ThreadPoolExecutor(max_workers=1) as pool:
            publishing = pool.submit(publisher.post, a, transition_path(edit), fields)
            wait_for_lock(site.database_url)
            during = reader.get(b, article_page(edit))
            blocker.commit()
            assert publishing.result().status == HTTPStatus.FOUND
    assert escape(edit["live_title"]) in during.body

    after = reader.get(b, article_page(edit))
    # knowledge.content_version raises the version again on commit: the page
    # read before it is cached under a version no one asks for any more.
    assert escape(edit["title"]) in after.body, f"stale: {after.headers}"
