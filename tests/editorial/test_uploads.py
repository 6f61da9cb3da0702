"""The editor's image upload: only real raster images, re-encoded, never HTML/SVG."""

import io
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

pytestmark = pytest.mark.django_db


URL = reverse("editorial:markdown-upload")


XSS_DIR = Path(__file__).resolve().parents[1] / "data" / "xss"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def editor_client(client, django_user_model):
    user = django_user_model.objects.create_user("editor", password="x", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="change_article"))
    client.force_login(user)
    return client


def image_bytes(fmt: str, size=(8, 8), **options) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, "teal").save(buffer, fmt, **options)
    return buffer.getvalue()


def upload(client, data: bytes, name: str, content_type: str):
    return client.post(
        URL,
        {"image": SimpleUploadedFile(name, data, content_type=content_type)},
        headers={"x-requested-with": "XMLHttpRequest"},
    )


def stored_files(root: Path) -> list[Path]:
    return [path for path in root.rglob("*") if path.is_file()]


@pytest.mark.parametrize(
    ("fmt", "extension"),
    [("PNG", "png"), ("JPEG", "jpg"), ("WEBP", "webp"), ("GIF", "gif")],
)
def test_editor_uploads_a_raster_image_under_a_random_name(
    editor_client, media_root, fmt, extension
):
    response = upload(editor_client, image_bytes(fmt), "holiday photo.svg", "text/html")
    assert response.status_code == HTTPStatus.OK
    code = response.json()["image_code"]
    assert code.startswith("![](/media/markdownx/") and code.endswith(f".{extension})")
    (stored,) = stored_files(media_root)
    assert "holiday" not in stored.name
    with Image.open(stored) as image:
        assert image.format == fmt


def test_trailing_payload_is_dropped_by_re_encoding(editor_client, media_root):
    payload = b"<script>alert(1)</script>"
    response = upload(editor_client, image_bytes("PNG") + payload, "a.png", "image/png")
    assert response.status_code == HTTPStatus.OK
    (stored,) = stored_files(media_root)
    assert payload not in stored.read_bytes()


@pytest.mark.parametrize(
    ("data", "name", "content_type"),
    [
        (b"<html><script>alert(1)</script></html>", "cat.gif", "image/gif"),
        (b"GIF89a<script>alert(1)</script>", "cat.gif", "image/gif"),
        ((XSS_DIR / "SVG_XSS1.svg").read_bytes(), "x.svg", "image/svg+xml"),
        ((XSS_DIR / "SVG_XSS_red_lightning.svg").read_bytes(), "x.png", "image/png"),
        (b"just some text", "notes.txt", "text/plain"),
        (b"", "empty.png", "image/png"),
        (b"%PDF-1.4 fake", "doc.png", "image/png"),
    ],
)
def test_anything_that_is_not_a_raster_image_is_refused(
    editor_client, media_root, data, name, content_type
):
    response = upload(editor_client, data, name, content_type)
    assert response.status_code in {
        HTTPStatus.BAD_REQUEST,
        HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
    }
    assert response.json()["image"]
    assert stored_files(media_root) == []


def test_decompression_bomb_is_refused(editor_client, media_root):
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, "PNG")  # a few KB, 400 MP
    response = upload(editor_client, buffer.getvalue(), "bomb.png", "image/png")
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert "too" in response.json()["image"][0]
    assert stored_files(media_root) == []


def test_files_over_5_mb_are_refused(editor_client, media_root):
    data = image_bytes("PNG") + b"\0" * (5 * 1024 * 1024)
    response = upload(editor_client, data, "big.png", "image/png")
    assert response.status_code == HTTPStatus.REQUEST_ENTITY_TOO_LARGE
    assert stored_files(media_root) == []


def test_anonymous_and_non_editors_cannot_upload(client, django_user_model, media_root):
    assert upload(client, image_bytes("PNG"), "a.png", "image/png").status_code == (
        HTTPStatus.FORBIDDEN
    )
    user = django_user_model.objects.create_user("staff", password="x", is_staff=True)
    client.force_login(user)
    assert upload(client, image_bytes("PNG"), "a.png", "image/png").status_code == (
        HTTPStatus.FORBIDDEN
    )
    assert stored_files(media_root) == []


def test_upload_needs_a_file_and_a_post(editor_client):
    assert editor_client.post(URL).status_code == HTTPStatus.BAD_REQUEST
    assert editor_client.get(URL).status_code == HTTPStatus.METHOD_NOT_ALLOWED


def test_uploaded_images_are_served_sandboxed_and_never_sniffed(editor_client, client):
    response = upload(editor_client, image_bytes("PNG"), "a.png", "image/png")
    url = response.json()["image_code"][4:-1]
    served = client.get(url)
    assert served.status_code == HTTPStatus.OK
    assert served["Content-Type"] == "image/png"
    assert served["X-Content-Type-Options"] == "nosniff"
    assert served["Content-Security-Policy"].startswith("sandbox")
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


@pytest.mark.parametrize(
    "name", ["../../settings.py", "x.html", "a" * 32 + ".svg", "0" * 32 + ".png"]
)
def test_only_uploaded_images_are_served(client, name):
    assert client.get(f"/media/markdownx/{name}").status_code == HTTPStatus.NOT_FOUND
