"""The benchmark's processes: their environment and scratch databases, gunicorn
started and stopped, and what /proc says of the CPU time and memory of its workers
and of the database server's backends."""

from __future__ import annotations

import os
import secrets
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")
PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")


def production_environment(database_url: str) -> dict[str, str]:
    """The production settings on plain HTTP on loopback, with limits lifted, and
    none of this shell's own DJANGO_ or GUNICORN_ settings."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("DJANGO_", "GUNICORN_"))
    }
    env.update(
        DATABASE_URL=database_url,
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=secrets.token_urlsafe(50),
        DJANGO_ALLOWED_HOSTS="127.0.0.1,testserver",
        DJANGO_SECURE_SSL_REDIRECT="false",
        DJANGO_SECURE_COOKIES="false",
        DJANGO_SEARCH_RATE_LIMIT=str(10**9),
        DJANGO_EXPORT_RATE_LIMIT=str(10**9),
    )
    return env


def recreate_database(url: str) -> None:
    """Empty a scratch database: delete the SQLite file, or drop and create the
    PostgreSQL database (bench/recreate_database.py)."""
    if url.startswith("sqlite:///"):
        (ROOT / url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return
    parts = urlsplit(url)
    admin = urlunsplit(parts._replace(path="/postgres"))
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "recreate_database.py"), admin]
        + [parts.path.lstrip("/")],
        check=True,
    )


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def server(env: dict[str, str], page_cache: bool, app: str = "twitchsite.wsgi"):
    """gunicorn with gunicorn.conf.py, serving ``app`` on a free port of loopback."""
    port = free_port()
    env = {**env, "PORT": str(port)}
    if not page_cache:
        # Pages render every time; fragments are kept, as in production.
        env["DJANGO_PAGE_CACHE_SECONDS"] = "0"
        env["DJANGO_FRAGMENT_CACHE_SECONDS"] = "600"
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), app],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(f"{base}/robots.txt", timeout=2).read()
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise SystemExit("gunicorn did not start") from None
                time.sleep(0.2)
        yield base, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=30)


def workers(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
    return [int(pid) for pid in children]


def cpu_seconds(pids: list[int]) -> float:
    total = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime + stime
    return total / CLOCK_TICKS


def database_backends(database: str) -> list[int]:
    """PostgreSQL's server processes for the benchmark database (their titles
    name it); none for SQLite, whose work happens inside the workers."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            title = (entry / "cmdline").read_bytes().decode(errors="replace")
        except OSError:
            continue
        if title.startswith("postgres: ") and f" {database} " in title:
            found.append(int(entry.name))
    return found


def process_cpu(pids: list[int]) -> dict[int, float]:
    """CPU seconds of each process still running."""
    seconds = {}
    for pid in pids:
        try:
            seconds[pid] = cpu_seconds([pid])
        except OSError:
            pass
    return seconds


@contextmanager
def database_cpu(database: str):
    """CPU seconds the database's server processes spend inside the block.

    Connections are renewed after CONN_MAX_AGE, so backends come and go during a
    run: they are sampled every 0.2 s, and one that starts during the run counts
    from zero. Yields a function that gives the total once the block is done.
    """
    first = process_cpu(database_backends(database)) if database else {}
    last = dict(first)
    stop = threading.Event()

    def sample() -> None:
        while not stop.wait(0.2):
            last.update(process_cpu(database_backends(database)))

    sampler = threading.Thread(target=sample)
    if database:
        sampler.start()
    try:
        yield lambda: sum(t - first.get(pid, 0.0) for pid, t in last.items())
    finally:
        stop.set()
        if database:
            sampler.join()
            last.update(process_cpu(database_backends(database)))


def rss_mib(pids: list[int]) -> float:
    pages = sum(int(Path(f"/proc/{pid}/statm").read_text().split()[1]) for pid in pids)
    return pages * PAGE_SIZE / 2**20
