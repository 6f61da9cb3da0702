"""WSGI entry point for twitchsite.

A request whose declared body is longer than the site ever accepts
(``REQUEST_BODY_MAX_BYTES``) is refused with 413 before Django reads any of it.
gunicorn has no limit on bodies, and Django's apply only as it reads one: its CSRF
check would read a 40 MB anonymous upload whole before refusing it. A body sent
without a length (chunked) is never read by Django.
"""

import os
from collections.abc import Callable, Iterable

from django.conf import settings
from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "twitchsite.settings")


def refuse_large_bodies(app: Callable, limit: int) -> Callable:
    """Wrap a WSGI application: a declared body over ``limit`` bytes gets 413."""

    def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
        try:
            length = int(environ.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # as Django reads it: no body
        if length <= limit:
            return app(environ, start_response)
        body = f"The request is larger than {limit // (1024 * 1024)} MB.\n".encode()
        start_response(
            "413 Content Too Large",
            [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(body))),
            ],
        )
        return [body]

    return application


application = refuse_large_bodies(
    get_wsgi_application(), settings.REQUEST_BODY_MAX_BYTES
)
