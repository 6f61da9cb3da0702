"""The WSGI application: a body larger than the site accepts is refused unread."""

import io
from http import HTTPStatus

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from django.urls import reverse

from editorial.uploads import MAX_UPLOAD_BYTES
from twitchsite.wsgi import application

pytestmark = pytest.mark.django_db


class Unread(io.BytesIO):
    """A request body that records how much of it is read."""

    def __init__(self, data: bytes):
        super().__init__(data)
        self.read_bytes = 0

    def read(self, size=-1):
        chunk = super().read(size)
        self.read_bytes += len(chunk)
        return chunk

    def readline(self, size=-1):
        line = super().readline(size)
        self.read_bytes += len(line)
        return line


def call(body: bytes, content_length: str) -> tuple[int, bytes, Unread]:
    stream = Unread(body)
    environ = {
        "REQUEST_METHOD": "POST",
        "PATH_INFO": reverse("editorial:markdown-upload"),
        "SERVER_NAME": "localhost",
        "SERVER_PORT": "80",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "HTTP_HOST": "localhost",
        "CONTENT_TYPE": MULTIPART_CONTENT,
        "CONTENT_LENGTH": content_length,
        "wsgi.input": stream,
        "wsgi.url_scheme": "http",
        "wsgi.errors": io.StringIO(),
    }
    statuses = []
    body = b"".join(
        application(environ, lambda status, headers: statuses.append(status))
    )
    return int(statuses[0].split()[0]), body, stream


def test_a_body_over_the_limit_is_refused_without_reading_it():
    declared = str(settings.REQUEST_BODY_MAX_BYTES + 1)
    status, body, stream = call(b"x" * 65536, declared)
    assert status == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert b"larger than 6 MB" in body
    assert stream.read_bytes == 0


def test_a_body_within_the_limit_reaches_the_site():
    image = SimpleUploadedFile("a.png", b"\0" * 1000, content_type="image/png")
    data = encode_multipart(BOUNDARY, {"image": image})
    status, body, _ = call(data, str(len(data)))
    # Django's answer to an anonymous upload: no CSRF cookie.
    assert status == HTTPStatus.FORBIDDEN
    assert b"CSRF" in body


@pytest.mark.parametrize("declared", ["", "not a number"])
def test_a_body_of_no_stated_length_is_left_to_django(declared):
    status, _, stream = call(b"x" * 65536, declared)
    assert status == HTTPStatus.FORBIDDEN
    assert stream.read_bytes == 0  # Django reads no body without a length


def test_the_largest_image_an_editor_may_upload_is_within_the_limit():
    image = SimpleUploadedFile("a.png", b"\0" * MAX_UPLOAD_BYTES)
    data = encode_multipart(BOUNDARY, {"image": image, "csrfmiddlewaretoken": "x" * 64})
    assert len(data) <= settings.REQUEST_BODY_MAX_BYTES
