"""The site's URLs, and two that show its error pages, for the screenshots.

Only ``tools/serve_settings.py`` routes here: the site itself has no way to ask
for its 500 or 503 page.
"""

from http import HTTPStatus

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import path

from twitchsite.urls import urlpatterns as site_urlpatterns


class ScreenshotError(RuntimeError):
    """Raised on purpose, to show the server-error page."""


def server_error(request: HttpRequest) -> HttpResponse:
    raise ScreenshotError("the server-error page, asked for by a screenshot")


def database_unavailable(request: HttpRequest) -> HttpResponse:
    return render(request, "503.html", status=HTTPStatus.SERVICE_UNAVAILABLE)


urlpatterns = [
    path("_errors/500/", server_error),
    path("_errors/503/", database_unavailable),
    *site_urlpatterns,
]
