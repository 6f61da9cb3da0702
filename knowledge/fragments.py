"""What is computed from the content once per content version, and kept.

What readers see changes only when the content does, and every write to it raises
the content version (``knowledge.content_version``). A value computed from the
content (a rendered fragment of HTML, the guidance every page shows) is kept in the
shared cache under the version it was computed at: every app server uses it until
the next write, and then it is left behind to expire.

Unlike the page cache, which holds whole pages per address, fragments are shared
by every page and every filter combination that shows them. When the cache cannot
be reached, everything is computed every time.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Hashable, Iterable
from typing import TypeVar

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.utils.functional import cached_property

from knowledge.content_version import content_version

logger = logging.getLogger(__name__)
T = TypeVar("T")
MISSING = object()


def key_for(name: str, version: int, part: Hashable) -> str:
    digest = hashlib.blake2b(repr(part).encode(), digest_size=16).hexdigest()
    return f"fragment:{version}:{name}:{digest}"


def cached(name: str, part: Hashable, compute: Callable[[], T]) -> T:
    """``compute()``, kept for the current content version under ``name`` and
    ``part`` (anything with a stable ``repr``: the fragment's inputs)."""
    try:
        key = key_for(name, content_version(), part)
        value = cache.get(key, MISSING)
    except Exception:  # noqa: BLE001 - CacheDown, or the get failed
        logger.warning("Cache unreachable: %s computed uncached", name)
        return compute()
    if value is MISSING:
        value = compute()
        try:
            cache.set(key, value, timeout=settings.FRAGMENT_CACHE_SECONDS)
        except Exception:  # noqa: BLE001
            logger.warning("Cache unreachable: %s not stored", name)
    return value


def cached_many(
    name: str,
    parts: Iterable[Hashable],
    compute: Callable[[list], dict],
) -> dict:
    """A value for each of ``parts``: those kept for the current content version
    in one round trip, the rest from ``compute(missing_parts)``, which returns a
    dict by part, and are then kept too."""
    parts = list(parts)
    try:
        version = content_version()
        keys = {key_for(name, version, part): part for part in parts}
        found = cache.get_many(list(keys))
    except Exception:  # noqa: BLE001 - CacheDown, or get_many failed
        logger.warning("Cache unreachable: %s computed uncached", name)
        return compute(parts)
    values = {keys[key]: value for key, value in found.items()}
    missing = [part for part in parts if part not in values]
    if missing:
        computed = compute(missing)
        values |= computed
        try:
            cache.set_many(
                {key_for(name, version, part): computed[part] for part in missing},
                timeout=settings.FRAGMENT_CACHE_SECONDS,
            )
        except Exception:  # noqa: BLE001
            logger.warning("Cache unreachable: %s not stored", name)
    return values


class KeptCountPaginator(Paginator):
    """A paginator whose count of matches is kept for the content version under
    ``kept_as``: what is counted (a table's filters, say). Counting reads every
    match, so it grows with the data; the page itself is read in order and
    stops at its last row."""

    def __init__(self, *args, kept_as: tuple[str, Hashable], **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.kept_as = kept_as

    @cached_property
    def count(self) -> int:
        name, part = self.kept_as
        return cached(name, part, lambda: Paginator.count.func(self))
