"""The benchmark's upper bound: a WSGI app that returns the article page's bytes.

No Django, no middleware, no cache lookup: what gunicorn itself can serve, under
the same configuration (gunicorn.conf.py) and the same wrk run as the site. A page
from the page cache is measured against it. The page's HTML is read once, from the
file ``BENCH_BARE_BODY`` names, with the headers a browser needs to read it.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from pathlib import Path

BODY = Path(os.environ["BENCH_BARE_BODY"]).read_bytes()
HEADERS = [
    ("Content-Type", "text/html; charset=utf-8"),
    ("Content-Length", str(len(BODY))),
]


def application(environ: dict, start_response: Callable) -> Iterable[bytes]:
    start_response("200 OK", HEADERS)
    return [BODY]
