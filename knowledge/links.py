"""Links to the site's pages, resolved once per view name.

Tables and charts link hundreds of rows; resolving each link afresh with
``reverse`` would cost more than the rest of the page.
"""

from __future__ import annotations

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, reverse


def slug_url(viewname: str, slug: str) -> str:
    """``reverse(viewname, kwargs={"slug": slug})``, resolved once per view.

    Slugs are ASCII letters, digits, hyphens and underscores, so they need no
    quoting.
    """
    before, after = _slug_url_parts(viewname, get_script_prefix())
    return f"{before}{slug}{after}"


def slug_url_format(viewname: str) -> str:
    """``slug_url`` as a format string with one ``{}`` for the slug: for links to
    thousands of rows, resolved once for them all."""
    before, after = _slug_url_parts(viewname, get_script_prefix())
    return (
        before.replace("{", "{{").replace("}", "}}")
        + "{}"
        + after.replace("{", "{{").replace("}", "}}")
    )


@functools.cache
def _slug_url_parts(viewname: str, prefix: str) -> tuple[str, str]:
    marker = "slug-0-marker"
    before, after = reverse(viewname, kwargs={"slug": marker}).split(marker)
    return before, after


def view_url(viewname: str) -> str:
    """``reverse(viewname)`` for a view without arguments, resolved once."""
    return _view_url(viewname, get_script_prefix())


@functools.cache
def _view_url(viewname: str, prefix: str) -> str:
    return reverse(viewname)


@receiver(setting_changed)
def _forget_urls(*, setting: str, **kwargs) -> None:
    if setting == "ROOT_URLCONF":
        _slug_url_parts.cache_clear()
        _view_url.cache_clear()
