"""Absolute URLs, from the configured site address and never from the request.

A client chooses the Host header, port included; a page that wrote it into its
canonical link would carry the client's choice into the shared page cache. Every
absolute URL the site writes starts with ``settings.SITE_URL`` instead.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, Tags, register


def absolute_url(path: str) -> str:
    """The site's absolute URL of a path that starts with "/"."""
    return settings.SITE_URL + path


@register(Tags.security, deploy=True)
def check_site_url(app_configs, **kwargs) -> list[Error]:
    """The site address must be a plain https:// origin in production."""
    parts = urlsplit(settings.SITE_URL)
    if parts.scheme != "https" or not parts.netloc or parts.path or parts.query:
        return [
            Error(
                f"DJANGO_SITE_URL is {settings.SITE_URL!r}.",
                hint="Set it to the site's public address, such as "
                "https://twitch.example.org, with no path.",
                id="twitchsite.E001",
            )
        ]
    return []
