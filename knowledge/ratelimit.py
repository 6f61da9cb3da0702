"""A fixed-window rate limit per client, kept in the shared cache.

With Redis as the cache every app server counts the same window, so the limit holds
behind a load balancer; the window is one minute.
"""

from __future__ import annotations

import logging
import time
from http import HTTPStatus

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
WINDOW_SECONDS = 60


def client_address(request: HttpRequest) -> str:
    """The client's address: behind our load balancer, the hop it appended."""
    if settings.BEHIND_PROXY and (hops := request.META.get("HTTP_X_FORWARDED_FOR")):
        return hops.split(",")[-1].strip()
    return request.META.get("REMOTE_ADDR", "unknown")


def over_limit(request: HttpRequest, bucket: str) -> bool:
    """Count this request; True once the client is over its limit this minute."""
    limit = settings.RATE_LIMITS[bucket]
    window = int(time.time() // WINDOW_SECONDS)
    key = f"ratelimit:{bucket}:{client_address(request)}:{window}"
    try:
        cache.add(key, 0, timeout=WINDOW_SECONDS * 2)
        try:
            count = cache.incr(key)
        except ValueError:  # expired between add and incr
            cache.set(key, 1, timeout=WINDOW_SECONDS * 2)
            count = 1
    except Exception:  # noqa: BLE001 - cache down: serve rather than refuse everyone
        logger.warning("Cache unreachable: %s not rate-limited", bucket)
        return False
    return count > limit


def too_many_requests() -> HttpResponse:
    response = HttpResponse(
        "Too many requests from your address: please wait a minute and try again.",
        status=HTTPStatus.TOO_MANY_REQUESTS,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(WINDOW_SECONDS)
    return response
