from http import HTTPStatus

from django.http import HttpRequest, HttpResponse

RETRY_AFTER_SECONDS = 60


def too_many_requests(request: HttpRequest, exception: Exception) -> HttpResponse:
    """What a rate-limited client gets (django-ratelimit's ``RATELIMIT_VIEW``)."""
    response = HttpResponse(
        "Too many requests from your address: please wait a minute and try again.",
        status=HTTPStatus.TOO_MANY_REQUESTS,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response
