import logging
from http import HTTPStatus

from django.db import InterfaceError, OperationalError, connection
from django.shortcuts import render
from django.utils.cache import patch_cache_control

logger = logging.getLogger(__name__)


class DatabaseUnavailableMiddleware:
    """Answer 503 with a page, not a stack trace, while the database is away.

    Connections are health-checked before reuse (CONN_HEALTH_CHECKS), so once the
    database is back the next request reconnects by itself.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        # The driver's own errors too: Django lets some through unconverted, such as
        # a server-side cursor failing to close on a connection the server dropped.
        driver = connection.Database
        if not isinstance(
            exception,
            OperationalError
            | InterfaceError
            | driver.OperationalError
            | driver.InterfaceError,
        ):
            return None
        logger.error("Database unavailable: %s", exception)
        response = render(request, "503.html", status=HTTPStatus.SERVICE_UNAVAILABLE)
        response["Retry-After"] = "30"
        patch_cache_control(response, no_store=True)
        return response
