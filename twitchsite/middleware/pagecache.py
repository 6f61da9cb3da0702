"""Whole-page caching for anonymous readers, invalidated by versioning.

Every cached page's key holds the current content version
(``knowledge.content_version``). Any write to the content raises the version, so the
next request renders afresh and a publish or an edit is visible at once; the old
entries simply expire. Logged-in editors (anyone with a
session cookie) never get, or fill, the public cache.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse

from knowledge.content_version import content_version

logger = logging.getLogger(__name__)
CACHED_PREFIXES = ("/articles/", "/causes/", "/nutrients/", "/foods/", "/about/")
CACHED_EXACT = ("/", "/sitemap.xml", "/feed/", "/robots.txt")


def cacheable(request: HttpRequest) -> bool:
    path = request.path
    return (
        request.method in {"GET", "HEAD"}
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "format" not in request.GET  # exports count against a rate limit
        and (path in CACHED_EXACT or path.startswith(CACHED_PREFIXES))
    )


class AnonymousPageCacheMiddleware:
    """Serve anonymous readers' pages from the shared cache when it has them."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not cacheable(request):
            return self.get_response(request)
        url = request.build_absolute_uri()
        digest = hashlib.sha256(url.encode()).hexdigest()
        try:
            key = f"pagecache:{content_version()}:{digest}"
            cached = cache.get(key)
        except Exception:  # noqa: BLE001 - the cache is down: render every page
            logger.warning("Cache unreachable: serving %s uncached", request.path)
            return self.get_response(request)
        if cached is not None:
            cached["X-Cache"] = "hit"
            return cached
        response = self.get_response(request)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and "private" not in response.get("Cache-Control", "")
        ):
            try:
                cache.set(key, response, timeout=settings.PAGE_CACHE_SECONDS)
            except Exception:  # noqa: BLE001
                logger.warning("Cache unreachable: %s not stored", request.path)
        response["X-Cache"] = "miss"
        return response
