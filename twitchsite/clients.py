"""Who is asking: the client's address, for login lockouts and rate limits.

One function answers for django-axes (``AXES_CLIENT_IP_CALLABLE``) and for
django-ratelimit (``RATELIMIT_IP_META_KEY``), so both count the same client.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest

# A placeholder address for a client whose address is not an IP address.
UNKNOWN = "0.0.0.0"


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    Behind our load balancer (``DJANGO_BEHIND_PROXY``), the last hop of
    ``X-Forwarded-For``: the address the load balancer itself saw, which a client
    cannot forge. Otherwise the address of the connection. Anything that is not an
    IP address counts as one unknown client rather than failing.
    """
    if settings.BEHIND_PROXY and (hops := request.META.get("HTTP_X_FORWARDED_FOR")):
        if address := _valid(hops.split(",")[-1]):
            return address
    return _valid(request.META.get("REMOTE_ADDR") or "") or UNKNOWN


def rate_limit(group: str, request: HttpRequest) -> str:
    """The rate limit of a group of views, per client per minute (settings)."""
    return f"{settings.RATE_LIMITS[group]}/m"
