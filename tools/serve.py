"""The site as `make serve` runs it, on a free port of loopback, over scratch data.

For the screenshots and the Lighthouse checks: gunicorn with gunicorn.conf.py,
DEBUG off with a throwaway secret key, static files collected, hashed and
compressed into a scratch folder (tools/serve_settings.py) and served by
whitenoise, and a fresh SQLite database filled by ``migrate`` and
``load_knowledge``. Plain HTTP, so the HTTPS redirect and Secure-only cookies are
off, as in `make serve`; everything else is the production configuration.
"""

from __future__ import annotations

import os
import secrets
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ALLOWED_HOSTS = "127.0.0.1,localhost"
START_SECONDS = 30
# Settings that would point the server at the developer's own services.
INHERITED_EXCLUDED = {"DATABASE_URL", "REDIS_URL", "WEB_CONCURRENCY", "PORT"}


class ServerError(RuntimeError):
    """The site could not be prepared or did not start."""


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def environment(scratch: Path, port: int) -> dict[str, str]:
    """The environment of `make serve`, over the scratch database and folder."""
    inherited = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DJANGO_", "GUNICORN_"))
        and name not in INHERITED_EXCLUDED
    }
    return {
        **inherited,
        "DJANGO_SETTINGS_MODULE": "tools.serve_settings",
        "SERVE_STATIC_ROOT": str(scratch / "static"),
        "DATABASE_URL": f"sqlite:///{scratch / 'site.sqlite3'}",
        "DJANGO_DEBUG": "false",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": ALLOWED_HOSTS,
        "DJANGO_SECURE_SSL_REDIRECT": "false",
        "DJANGO_SECURE_COOKIES": "false",
        "GUNICORN_BIND_HOST": "127.0.0.1",
        "GUNICORN_ACCESS_LOG": "",
        "PORT": str(port),
    }


def manage(env: dict[str, str], *args: str, timeout: float | None = None) -> str:
    """Run a management command in a process of its own; its standard output."""
    result = subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    if result.returncode != 0:
        command = " ".join(args)
        raise ServerError(
            f"manage.py {command} failed:\n{result.stdout}{result.stderr}"
        )
    return result.stdout


def wait_until_serving(url: str, process: subprocess.Popen, log: Path) -> None:
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                response.read()
            return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise ServerError(
                    f"gunicorn did not start serving {url}:\n{log.read_text()}"
                ) from None
            time.sleep(0.2)


@contextmanager
def production_server(host: str = "localhost") -> Iterator[str]:
    """Serve the site while the block runs; yields its base URL on ``host``.

    ``host`` is a name the site accepts (``ALLOWED_HOSTS``) and that reaches
    loopback. The default, ``localhost``, is a secure context for browsers even
    over plain HTTP, as a deployment's https:// origin is.
    """
    with tempfile.TemporaryDirectory(prefix="twitchsite-serve-") as folder:
        scratch = Path(folder)
        port = free_port()
        env = environment(scratch, port)
        manage(env, "collectstatic", "--noinput", "-v0")
        manage(env, "migrate", "--noinput", "-v0")
        manage(env, "load_knowledge", "-v0")
        log = scratch / "gunicorn.log"
        with log.open("w") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "twitchsite.wsgi"],
                cwd=ROOT,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
            )
            try:
                wait_until_serving(f"http://127.0.0.1:{port}/robots.txt", process, log)
                yield f"http://{host}:{port}"
            finally:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()
