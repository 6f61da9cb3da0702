"""The database restarts under load, and the site recovers by itself.

The production configuration (gunicorn, DEBUG off, persistent connections with
health checks) runs against a private PostgreSQL cluster, started for these tests
alone, so that stopping it disturbs nothing else. Readers keep requesting pages that
need the database while the cluster is stopped and started again. While it is down
every failed request gets the 503 page with Retry-After, never a 500, a stack trace
or a dropped connection; once it is back the pages serve again without restarting
anything.

The tests that serve the site run in the PostgreSQL run of the suite only: the site
under test speaks to PostgreSQL, and one run of them is enough. Where PostgreSQL's
server programs are missing they skip, except under CI (``CI=true``), where they
fail."""

from __future__ import annotations

import http.client
import json
import os
import pwd
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from http import HTTPStatus
from pathlib import Path

import psycopg
import pytest
from django.db import connection
from django.urls import reverse

from knowledge import views
from tests.tools import tool_missing
from tools import serve

ROOT = Path(__file__).resolve().parents[2]


PAGE_503_PHRASE = "The site cannot reach its database just now"


TRACEBACK_MARKERS = ("Traceback", "Exception Value", "OperationalError", "psycopg")


# How long the database stays down, and how soon the site must serve again after.
OUTAGE_SECONDS = 3.0


RECOVERY_LIMIT_SECONDS = 10.0


# Load before the outage, and all-200 load required after recovery.
WARM_UP_SECONDS = 1.5


STEADY_AFTER_SECONDS = 3.0


READERS = 4


HTTP_TIMEOUT = 10.0


COMMAND_TIMEOUT = 120.0


in_postgres_run = pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://")),
    reason="runs in the PostgreSQL run of the suite (DATABASE_URL=postgres://...); "
    "it starts its own PostgreSQL cluster",
)


def postgres_bin_dir() -> Path | None:
    """The newest installed PostgreSQL server programs (Debian's layout)."""
    versions = [
        path.parent
        for path in Path("/usr/lib/postgresql").glob("*/bin/pg_ctl")
        if (path.parent / "initdb").exists()
    ]
    if not versions:
        return None
    return max(versions, key=lambda path: int(re.sub(r"\D", "", path.parent.name)))


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def site_env(database_url: str, static_root: Path) -> dict[str, str]:
    """The environment of `make serve`, on the private cluster, with no caching.

    No Redis (a cache local to each process), no page cache and no practical search
    rate limit: every request really reaches the database. The static files are
    collected into a folder of the test's own (tests/serve_settings.py).
    """
    base = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith("DJANGO_") and key != "REDIS_URL"
    }
    return {
        **base,
        "DJANGO_SETTINGS_MODULE": "tests.serve_settings",
        "TEST_STATIC_ROOT": str(static_root),
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": "database-restart-test-secret-key-not-for-production",
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        "DJANGO_PAGE_CACHE_SECONDS": "0",
        "DJANGO_SEARCH_RATE_LIMIT": "1000000",
    }


class PostgresCluster:
    """A throwaway PostgreSQL cluster on a free loopback port, with trust auth."""

    def __init__(self, bin_dir: Path, base_dir: Path):
        self.bin_dir = bin_dir
        self.base_dir = base_dir
        self.data_dir = base_dir / "data"
        self.log_file = base_dir / "postgresql.log"
        self.port = free_port()
        # initdb refuses to run as root: run the server as its own user.
        self.as_user = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    @property
    def url(self) -> str:
        return f"postgres://postgres@127.0.0.1:{self.port}/postgres"

    def run(self, program: str, *args: str) -> None:
        command = [*self.as_user, str(self.bin_dir / program), *args]
        result = subprocess.run(
            command,
            capture_output=True,
            text=True,
            timeout=COMMAND_TIMEOUT,
            check=False,
        )
        assert result.returncode == 0, (
            f"{program} {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}\n"
            f"{self.log()}"
        )

    def log(self) -> str:
        try:
            return self.log_file.read_text(errors="replace")[-4000:]
        except OSError:
            return ""

    def init(self) -> None:
        self.run(
            "initdb",
            "-D",
            str(self.data_dir),
            "-A",
            "trust",
            "-U",
            "postgres",
            "-E",
            "UTF8",
            "--no-sync",
        )
        settings = [
            "listen_addresses = '127.0.0.1'",
            f"port = {self.port}",
            f"unix_socket_directories = '{self.base_dir}'",
            "fsync = off",
            "synchronous_commit = off",
            "full_page_writes = off",
        ]
        with (self.data_dir / "postgresql.conf").open("a") as conf:
            conf.write("\n".join(settings) + "\n")

    def pg_ctl(self, action: str, *args: str) -> None:
        self.run(
            "pg_ctl",
            action,
            "-D",
            str(self.data_dir),
            "-l",
            str(self.log_file),
            "-w",
            "-t",
            "30",
            *args,
        )

    def start(self) -> None:
        self.pg_ctl("start")

    def stop(self, mode: str = "fast") -> None:
        self.pg_ctl("stop", "-m", mode)

    def client_connections(self) -> int:
        """How many connections other than this one the server has open."""
        with psycopg.connect(
            host="127.0.0.1",
            port=self.port,
            user="postgres",
            dbname="postgres",
            connect_timeout=5,
        ) as connection:
            row = connection.execute(
                "SELECT count(*) FROM pg_stat_activity"
                " WHERE backend_type = 'client backend' AND pid <> pg_backend_pid()"
            ).fetchone()
        return row[0]


@pytest.fixture(scope="module")
def postgres_cluster() -> Iterator[PostgresCluster]:
    bin_dir = postgres_bin_dir()
    missing = None
    if bin_dir is None:
        missing = (
            "PostgreSQL's server programs (initdb, pg_ctl) are missing from "
            "/usr/lib/postgresql/*/bin: install them with "
            "`apt-get install -y --no-install-recommends postgresql`"
        )
    elif os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            missing = "running as root, and there is no `postgres` user to run initdb"
    if missing:
        tool_missing(missing)

    base_dir = Path(tempfile.mkdtemp(prefix="twitchsite-pg-"))
    if os.geteuid() == 0:
        shutil.chown(base_dir, user="postgres")
    cluster = PostgresCluster(bin_dir, base_dir)
    try:
        cluster.init()
        cluster.start()
        yield cluster
    finally:
        if (cluster.data_dir / "postmaster.pid").exists():
            subprocess.run(
                [
                    *cluster.as_user,
                    str(bin_dir / "pg_ctl"),
                    "stop",
                    "-D",
                    str(cluster.data_dir),
                    "-m",
                    "immediate",
                    "-w",
                    "-t",
                    "30",
                ],
                capture_output=True,
                timeout=COMMAND_TIMEOUT,
                check=False,
            )
        shutil.rmtree(base_dir, ignore_errors=True)


def manage(env: dict[str, str], *args: str) -> None:
    serve.manage(env, *args, timeout=COMMAND_TIMEOUT)


def get(port: int, path: str) -> tuple[int, dict[str, str], str]:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=HTTP_TIMEOUT)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read().decode("utf-8", errors="replace")
        headers = {key.lower(): value for key, value in response.getheaders()}
        return response.status, headers, body
    finally:
        connection.close()


def worker_pids(master: int) -> set[int]:
    children: set[int] = set()
    for task in Path(f"/proc/{master}/task").iterdir():
        children |= {int(pid) for pid in (task / "children").read_text().split()}
    return children


@dataclass
class Site:
    port: int
    process: subprocess.Popen
    log_file: Path
    workers: set[int] = field(default_factory=set)

    def log(self) -> str:
        return self.log_file.read_text(errors="replace")

    def assert_nothing_restarted(self) -> None:
        """The same master and the same workers: nothing crashed or was replaced."""
        assert self.process.poll() is None, f"gunicorn exited:\n{self.log()}"
        assert worker_pids(self.process.pid) == self.workers, (
            f"workers were replaced:\n{self.log()[-4000:]}"
        )
        assert "Traceback" not in self.log(), self.log()[-4000:]


@pytest.fixture(scope="module")
def site(
    postgres_cluster: PostgresCluster, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Site]:
    """The site as `make serve` runs it: gunicorn, two workers, DEBUG off."""
    env = site_env(postgres_cluster.url, tmp_path_factory.mktemp("static"))
    # DEBUG off serves hashed static files, whose manifest the 503 page needs too.
    manage(env, "collectstatic", "--noinput", "-v0")
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "load_knowledge", "-v0")

    port = free_port()
    log_file = tmp_path_factory.mktemp("gunicorn") / "gunicorn.log"
    with log_file.open("wb") as log:
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "gunicorn",
                "twitchsite.wsgi",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "2",
                "--no-control-socket",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
    served = Site(port=port, process=process, log_file=log_file)
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"gunicorn exited:\n{served.log()}"
            try:
                if get(port, "/robots.txt")[0] == HTTPStatus.OK:
                    served.workers = worker_pids(process.pid)
                    if len(served.workers) == 2:
                        break
            except OSError:
                pass
            assert time.monotonic() < deadline, (
                f"gunicorn never served:\n{served.log()}"
            )
            time.sleep(0.1)
        yield served
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


@dataclass(repr=False)
class Outcome:
    path: str
    started: float
    ended: float
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)
    body: str = ""
    error: str | None = None

    def __repr__(self) -> str:
        return f"<{self.error or self.status} {self.path}>"

    def describe(self, origin: float) -> str:
        what = self.error or f"{self.status} {self.body[:300]!r}"
        return f"{self.started - origin:+.2f}s {self.path}: {what}"


class Readers:
    """Threads that keep reading pages and record every outcome."""

    def __init__(self, port: int, paths: list[str]):
        self.port = port
        self.paths = paths
        self.outcomes: list[Outcome] = []
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.threads = [
            threading.Thread(target=self.read, args=(offset,), daemon=True)
            for offset in range(READERS)
        ]

    def read(self, offset: int) -> None:
        turn = offset
        while not self.stopping.is_set():
            path = self.paths[turn % len(self.paths)]
            turn += 1
            started = time.monotonic()
            try:
                status, headers, body = get(self.port, path)
            except (OSError, http.client.HTTPException) as error:
                outcome = Outcome(path, started, time.monotonic(), error=repr(error))
            else:
                # A 200 page is large and of no further interest: keep its head.
                kept = body if status != HTTPStatus.OK else body[:200]
                outcome = Outcome(
                    path, started, time.monotonic(), status, headers, kept
                )
            with self.lock:
                self.outcomes.append(outcome)

    def __enter__(self) -> Readers:
        for thread in self.threads:
            thread.start()
        return self

    def __exit__(self, *exc_info) -> None:
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=HTTP_TIMEOUT + 5)

    def snapshot(self) -> list[Outcome]:
        with self.lock:
            return list(self.outcomes)


def published_article_slugs() -> list[str]:
    records = json.loads((ROOT / "fixtures" / "knowledge.json").read_text())
    return [
        record["fields"]["slug"]
        for record in records
        if record["model"] == "knowledge.article"
        and record["fields"].get("status") == "published"
    ]


def database_pages() -> list[str]:
    """Pages that each need the database: articles, a filtered table, search."""
    slugs = published_article_slugs()
    assert slugs, "the knowledge base has no published article"
    return [
        *(f"/articles/{slug}/" for slug in slugs),
        "/causes/?area=eyelid&sort=-urgency",
        "/search/?q=magnesium",
        "/nutrients/magnesium/",
    ]


def read_together(port: int, paths: list[str]) -> list[tuple[str, int]]:
    """Request the paths, several at once, so that every worker serves some."""

    def read(path: str) -> tuple[str, int]:
        return path, get(port, path)[0]

    with ThreadPoolExecutor(max_workers=READERS) as pool:
        return list(pool.map(read, paths, timeout=HTTP_TIMEOUT * len(paths)))


def test_connections_are_persistent_and_health_checked():
    """The restart tests below exercise this configuration: the production default."""
    base = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    code = (
        "import twitchsite.settings as s; d = s.DATABASES['default']; "
        "print(d['CONN_MAX_AGE'], d['CONN_HEALTH_CHECKS'])"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        cwd=ROOT,
        env={
            **base,
            "DJANGO_SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://postgres@127.0.0.1:5432/postgres",
        },
        capture_output=True,
        text=True,
        timeout=COMMAND_TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["60", "True"]


def test_a_driver_error_that_django_lets_through_also_gets_the_503_page(
    client, monkeypatch
):
    # Closing a server-side cursor on a connection the server has just dropped
    # raises the driver's own OperationalError, not Django's.
    def dropped(self, request, *args, **kwargs):
        raise connection.Database.OperationalError(
            "consuming input failed: server closed the connection unexpectedly"
        )

    monkeypatch.setattr(views.AboutView, "get", dropped)
    client.raise_request_exception = False
    response = client.get(reverse("knowledge:about"), secure=True)
    assert response.status_code == HTTPStatus.SERVICE_UNAVAILABLE
    assert PAGE_503_PHRASE.encode() in response.content
    assert b"server closed" not in response.content
    assert response["Retry-After"].isdigit()


@in_postgres_run
def test_a_database_restart_between_requests_costs_readers_nothing(
    postgres_cluster: PostgresCluster, site: Site
):
    # Each worker's kept connection dies with the old server: the health check finds
    # that out before the connection is used, and the worker reconnects.
    paths = database_pages() * 2
    for _ in range(5):
        warm = read_together(site.port, paths)
        assert {status for _, status in warm} == {HTTPStatus.OK}, warm
        if postgres_cluster.client_connections() == 2:
            break
    # Between requests each of the two workers keeps its connection open.
    assert postgres_cluster.client_connections() == 2

    postgres_cluster.stop("fast")
    postgres_cluster.start()

    outcomes = read_together(site.port, paths)
    failed = [(path, status) for path, status in outcomes if status != HTTPStatus.OK]
    assert not failed, f"requests failed after a quiet restart: {failed}"
    # Both workers served requests on the restarted server, and kept connecting.
    assert postgres_cluster.client_connections() == 2
    site.assert_nothing_restarted()


@in_postgres_run
def test_site_recovers_by_itself_when_the_database_restarts_under_load(
    postgres_cluster: PostgresCluster, site: Site
):
    with Readers(site.port, database_pages()) as readers:
        time.sleep(WARM_UP_SECONDS)
        stopping_at = time.monotonic()
        postgres_cluster.stop("fast")
        stopped_at = time.monotonic()
        time.sleep(OUTAGE_SECONDS)
        starting_at = time.monotonic()
        postgres_cluster.start()
        started_at = time.monotonic()
        # Keep reading until the pages have served cleanly for a while, or until
        # the site has had all the time it is allowed to recover and more.
        while True:
            time.sleep(0.2)
            now = time.monotonic()
            failures = [
                outcome.started
                for outcome in readers.snapshot()
                if outcome.status != HTTPStatus.OK
            ]
            last_failure = max(failures, default=started_at)
            if now - max(last_failure, started_at) >= STEADY_AFTER_SECONDS:
                break
            if now - started_at >= RECOVERY_LIMIT_SECONDS + STEADY_AFTER_SECONDS:
                break
    outcomes = sorted(readers.snapshot(), key=lambda outcome: outcome.started)

    def report(selected: list[Outcome]) -> str:
        return "\n".join(outcome.describe(stopping_at) for outcome in selected[:20])

    assert not any(t.is_alive() for t in readers.threads), "a reader hung"
    dropped = [outcome for outcome in outcomes if outcome.error]
    assert not dropped, f"connections failed:\n{report(dropped)}"

    before = [outcome for outcome in outcomes if outcome.ended < stopping_at]
    assert len(before) >= READERS, "too little load before the restart"
    not_ok = [outcome for outcome in before if outcome.status != HTTPStatus.OK]
    assert not not_ok, f"failures before the restart:\n{report(not_ok)}"
    cached = [o for o in outcomes if o.headers.get("x-cache") == "hit"]
    assert not cached, f"pages came from the page cache, not the database: {cached}"

    # Every failure, whenever it happened, is the 503 page: never a 500 or a trace.
    failed = [outcome for outcome in outcomes if outcome.status != HTTPStatus.OK]
    improper = [
        outcome
        for outcome in failed
        if outcome.status != HTTPStatus.SERVICE_UNAVAILABLE
        or PAGE_503_PHRASE not in outcome.body
        or any(marker in outcome.body for marker in TRACEBACK_MARKERS)
        or not outcome.headers.get("retry-after", "").isdigit()
        or "no-store" not in outcome.headers.get("cache-control", "")
        or not outcome.headers.get("content-type", "").startswith("text/html")
    ]
    assert not improper, f"improper failure responses:\n{report(improper)}"

    # While the database is down every page that needs it fails: nothing masks it.
    outage = [
        outcome
        for outcome in outcomes
        if outcome.started >= stopped_at and outcome.ended <= starting_at
    ]
    assert outage, "no request was answered while the database was down"
    served = [o for o in outage if o.status != HTTPStatus.SERVICE_UNAVAILABLE]
    assert not served, f"pages served without a database:\n{report(served)}"

    # Recovery: from some moment after the restart on, every request succeeds.
    after = [outcome for outcome in outcomes if outcome.started >= started_at]
    last_failure = max(
        (o.started for o in after if o.status != HTTPStatus.OK), default=None
    )
    recovered_at = started_at if last_failure is None else last_failure
    recovery = recovered_at - started_at
    assert recovery <= RECOVERY_LIMIT_SECONDS, (
        f"still failing {recovery:.1f}s after the database came back:\n"
        f"{report([o for o in after if o.status != HTTPStatus.OK])}"
    )
    steady = [outcome for outcome in after if outcome.started > recovered_at]
    assert len(steady) >= READERS * 2, "too little load after recovery to judge it"
    assert steady[-1].started - recovered_at >= STEADY_AFTER_SECONDS - 0.5

    site.assert_nothing_restarted()
    print(  # noqa: T201 - a summary for `pytest -s`
        f"{len(outcomes)} requests, {len(failed)} answered 503, "
        f"{len(outage)} during the outage; recovered {recovery:.2f}s after restart"
    )
