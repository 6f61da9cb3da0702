"""Gunicorn's configuration, shared by `make serve` and `make bench`.

Gunicorn reads this file from the working directory. Each setting can be changed
from the environment: PORT and GUNICORN_BIND_HOST for the address, WEB_CONCURRENCY
for the number of worker processes, GUNICORN_ACCESS_LOG for the access log ("-" is
standard output, empty turns it off).
"""

import os

host = os.environ.get("GUNICORN_BIND_HOST", "127.0.0.1")
bind = f"{host}:{os.environ.get('PORT', '8000')}"
# Synchronous workers: the pages are CPU-bound and the database is close by.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# No runtime control socket: nothing here manages workers from outside.
control_socket_disable = True
