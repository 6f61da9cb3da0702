"""Whole-page caching for anonymous readers, invalidated by versioning.

Every cached page's key holds the current content version. Any write to the content
raises the version, so the next request renders afresh and a publish or an edit is
visible at once; the old entries simply expire. Logged-in editors (anyone with a
session cookie) never get, or fill, the public cache.
"""

from __future__ import annotations

import hashlib
import logging

from django.conf import settings
from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse

logger = logging.getLogger(__name__)
VERSION_KEY = "pagecache:content-version"
CACHED_PREFIXES = ("/articles/", "/causes/", "/nutrients/", "/foods/", "/about/")
CACHED_EXACT = ("/", "/sitemap.xml", "/feed/", "/robots.txt")


class CacheDown(Exception):
    """The shared cache cannot be reached: serve without it."""


def content_version() -> int:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
    except Exception as error:  # noqa: BLE001 - any cache failure: go without it
        raise CacheDown from error
    return version


def bump_content_version(**kwargs) -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the first read sets one
        cache.add(VERSION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001 - cache down: nothing cached can go stale
        logger.warning("Cache unreachable: content version not raised")


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


def connect_signals() -> None:
    """Any write to the content raises the version; the logs do not."""
    from knowledge import models

    content = [
        models.Article,
        models.Cause,
        models.Nutrient,
        models.FoodSource,
        models.Evidence,
        models.Symptom,
        models.BodyArea,
        models.CauseSymptom,
        models.CauseBodyArea,
        models.NutrientFood,
        models.SourceDocument,
        models.ReviewerProfile,
    ]
    for model in content:
        uid = f"pagecache-{model.__name__}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid)
    for through in (models.Article.nutrients.through, models.Article.causes.through):
        m2m_changed.connect(
            bump_content_version, sender=through, dispatch_uid=f"pagecache-{through}"
        )
