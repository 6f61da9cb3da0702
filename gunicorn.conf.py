"""Gunicorn's configuration, shared by `make serve` and `make bench`.

Gunicorn reads this file from the working directory. Each setting can be changed
from the environment: PORT and GUNICORN_BIND_HOST for the address, WEB_CONCURRENCY
for the number of worker processes, GUNICORN_ACCESS_LOG for the access log ("-" is
standard output, empty turns it off), and DJANGO_BEHIND_PROXY, read as the Django
settings read it, for the forwarded headers gunicorn trusts.
"""

import os


def env_bool(name: str) -> bool:
    """A boolean, read as twitchsite.settings.env_bool reads it (the settings
    themselves refuse to load here without a secret key)."""
    return os.environ.get(name, "").strip().lower() in {"1", "true", "yes", "on"}


host = os.environ.get("GUNICORN_BIND_HOST", "127.0.0.1")
bind = f"{host}:{os.environ.get('PORT', '8000')}"
# Synchronous workers: the pages are CPU-bound and the database is close by.
workers = int(os.environ.get("WEB_CONCURRENCY", "2"))
accesslog = os.environ.get("GUNICORN_ACCESS_LOG", "-") or None
# No runtime control socket: nothing here manages workers from outside.
control_socket_disable = True

# Forwarded headers. gunicorn's defaults trust X-Forwarded-Proto (and two other
# scheme headers), SCRIPT_NAME and PATH_INFO from loopback, and from anyone over a
# UNIX socket. None of them is trusted unless the site is behind its load balancer.
# Behind it, gunicorn trusts the one header the load balancer sets for it,
# X-Forwarded-Proto: https, the same that Django trusts, from any peer: the app
# servers are reached only through the load balancer (narrow it with
# --forwarded-allow-ips). X-Forwarded-For is read by Django (twitchsite.clients).
# The site is served at the root of its host: no proxy sets SCRIPT_NAME or
# PATH_INFO, so neither is ever taken from a request.
if env_bool("DJANGO_BEHIND_PROXY"):
    forwarded_allow_ips = "*"
    secure_scheme_headers = {"X-FORWARDED-PROTO": "https"}
else:
    forwarded_allow_ips = ""
    secure_scheme_headers = {}
forwarder_headers = ""

# Request sizes. The longest URL, a table filtered by every symptom, is under 1 KB;
# a browser sends 10 to 20 headers, a load balancer adds a few. gunicorn has no limit
# on the body: twitchsite.wsgi refuses one that is too large before reading it.
limit_request_line = 4094
limit_request_fields = 50
limit_request_field_size = 8190
