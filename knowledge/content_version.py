"""The content's version: raised by every write to what readers see.

Anything cached from the content (whole pages, rendered fragments) puts the version
in its key, so a publish or an edit is visible at once and the old entries simply
expire. The version lives in the shared cache, so every app server sees it.
"""

from __future__ import annotations

import logging

from django.apps import apps
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Model
from django.db.models.signals import m2m_changed, post_delete, post_save

logger = logging.getLogger(__name__)
VERSION_KEY = "pagecache:content-version"


class CacheDown(Exception):
    """The shared cache cannot be reached: serve without it."""


def content_version() -> int:
    try:
        version = cache.get(VERSION_KEY)
        if version is None:
            cache.add(VERSION_KEY, 1, timeout=None)
            version = cache.get(VERSION_KEY, 1)
    except Exception as error:  # any cache failure: go without it
        raise CacheDown from error
    return version


def bump_content_version(**kwargs) -> None:
    """Raise the version now, and again when the writing transaction commits.

    A reader whose request falls between a write and its commit reads the raised
    version but the old rows, and would cache the old page under the new version
    until it expired. Raising the version again on commit leaves that page under a
    version no one asks for. (Outside a transaction both happen at once.)
    """
    raise_version()
    transaction.on_commit(raise_version)


def raise_version() -> None:
    try:
        cache.incr(VERSION_KEY)
    except ValueError:  # no version yet: the first read sets one
        cache.add(VERSION_KEY, 2, timeout=None)
    except Exception:  # noqa: BLE001 - cache down: nothing cached can go stale
        logger.warning("Cache unreachable: content version not raised")


def connect_signals() -> None:
    """Any write to what readers see raises the version; logs and the index do not.

    What readers see is every model of the apps named in ``settings.CONTENT_MODELS``,
    or the single models named there (``app_label.ModelName``), with their
    many-to-many tables.
    """
    for model in content_models(settings.CONTENT_MODELS):
        uid = f"content-version-{model._meta.label}"
        post_save.connect(bump_content_version, sender=model, dispatch_uid=uid)
        post_delete.connect(bump_content_version, sender=model, dispatch_uid=uid)
        m2m_changed.connect(bump_content_version, sender=model, dispatch_uid=uid)


def content_models(labels: list[str]) -> list[type[Model]]:
    found = []
    for label in labels:
        if "." in label:
            found.append(apps.get_model(label))
        else:
            config = apps.get_app_config(label)
            found += config.get_models(include_auto_created=True)
    return found
