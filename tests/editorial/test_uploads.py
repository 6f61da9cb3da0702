"""The editor's image upload: only real raster images, re-encoded, never HTML/SVG."""

import io
import re
import struct
from html import unescape
from http import HTTPStatus
from pathlib import Path

import pytest
from django.contrib.auth.models import Permission
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image, ImageFile, ImageSequence
from PIL.PngImagePlugin import PngInfo

from editorial.uploads import MAX_ALT_CHARS, MAX_FRAMES, image_markdown
from knowledge.markdown import render_markdown

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


def upload(client, data: bytes, name: str, content_type: str, **fields):
    return client.post(
        URL,
        {"image": SimpleUploadedFile(name, data, content_type=content_type), **fields},
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


def crafted_gif(screen: tuple[int, int], frames: int, offset=(0, 0)) -> bytes:
    """A GIF of ``frames`` one-pixel frames at ``offset`` on a ``screen``-sized canvas.

    A few hundred bytes, yet Pillow decodes every frame at the canvas's full size.
    """
    data = bytearray(b"GIF89a" + struct.pack("<HHBBB", *screen, 0x80, 0, 0))
    data += bytes([0, 0, 0, 255, 255, 255])  # a global palette of black and white
    data += b"!\xff\x0bNETSCAPE2.0\x03\x01\x00\x00\x00"  # loop forever
    for index in range(frames):
        data += b"!\xf9\x04\x00\x0a\x00\x00\x00"  # shown for 100 ms
        data += b"," + struct.pack("<HHHHB", *offset, 1, 1, 0)
        # LZW with 3-bit codes: clear (4), the pixel's colour, end (5).
        code = 4 | (index % 2) << 3 | 5 << 6
        data += bytes([2, 2, code & 0xFF, code >> 8, 0])
    return bytes(data + b";")


def animation(fmt: str, frames: int, size=(2, 2)) -> bytes:
    """An animation whose frames alternate black and white, so none is merged."""
    images = [Image.new("RGB", size, ("black", "white")[i % 2]) for i in range(frames)]
    buffer = io.BytesIO()
    images[0].save(buffer, fmt, save_all=True, append_images=images[1:], duration=50)
    return buffer.getvalue()


@pytest.fixture
def decoded(monkeypatch):
    """The images whose pixels Pillow decodes during the test."""
    loaded = []
    original = ImageFile.ImageFile.load

    def load(image):
        loaded.append(image)
        return original(image)

    monkeypatch.setattr(ImageFile.ImageFile, "load", load)
    return loaded


@pytest.mark.parametrize(
    "data",
    [
        # 24 frames of a 6000 x 6000 canvas: 864 million pixels in 591 bytes.
        crafted_gif((6000, 6000), 24),
        # The canvas is small, but the later frames grow it to 6000 x 6000.
        crafted_gif((1, 1), 24, offset=(5999, 5999)),
    ],
)
def test_animation_over_the_pixel_budget_is_refused_before_decoding_a_frame(
    editor_client, media_root, decoded, data
):
    response = upload(editor_client, data, "bomb.gif", "image/gif")
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert "too many pixels" in response.json()["image"][0]
    assert decoded == []
    assert stored_files(media_root) == []


@pytest.mark.parametrize("fmt", ["GIF", "PNG", "WEBP"])
def test_animation_with_too_many_frames_is_refused_before_decoding_a_frame(
    editor_client, media_root, decoded, fmt
):
    response = upload(editor_client, animation(fmt, MAX_FRAMES + 1), "a", "image/gif")
    assert response.status_code == HTTPStatus.UNSUPPORTED_MEDIA_TYPE
    assert f"at most {MAX_FRAMES} frames" in response.json()["image"][0]
    assert decoded == []
    assert stored_files(media_root) == []


@pytest.mark.parametrize("fmt", ["GIF", "WEBP"])
def test_animation_within_the_budget_keeps_its_frames(editor_client, media_root, fmt):
    response = upload(editor_client, animation(fmt, 3), "a", "image/gif")
    assert response.status_code == HTTPStatus.OK
    (stored,) = stored_files(media_root)
    with Image.open(stored) as image:
        assert image.format == fmt
        durations = []
        for frame in ImageSequence.Iterator(image):
            frame.load()
            durations.append(frame.info["duration"])
    assert durations == [50, 50, 50]


SECRET = b"secret-marker"


def exif_with_secret() -> bytes:
    exif = Image.Exif()
    exif[0x010E] = SECRET.decode()  # ImageDescription
    return exif.tobytes()


def png_text_with_secret() -> PngInfo:
    text = PngInfo()
    text.add_text("Comment", SECRET.decode())
    return text


@pytest.mark.parametrize(
    ("fmt", "metadata", "frames"),
    [
        ("GIF", {"comment": SECRET}, 1),
        ("GIF", {"comment": SECRET}, 2),
        ("JPEG", {"comment": SECRET}, 1),
        ("JPEG", {"exif": exif_with_secret(), "icc_profile": SECRET, "xmp": SECRET}, 1),
        ("PNG", {"exif": exif_with_secret(), "icc_profile": SECRET}, 1),
        ("PNG", {"pnginfo": png_text_with_secret()}, 1),
        ("WEBP", {"exif": exif_with_secret(), "icc_profile": SECRET, "xmp": SECRET}, 1),
        ("WEBP", {"exif": exif_with_secret(), "icc_profile": SECRET, "xmp": SECRET}, 2),
    ],
)
def test_re_encoding_keeps_the_pixels_and_drops_comments_and_metadata(
    editor_client, media_root, fmt, metadata, frames
):
    if frames > 1:
        metadata = {
            **metadata,
            "save_all": True,
            "append_images": [Image.new("RGB", (8, 8))],
        }
    data = image_bytes(fmt, **metadata)
    assert SECRET in data
    response = upload(editor_client, data, "a", "image/png")
    assert response.status_code == HTTPStatus.OK
    (stored,) = stored_files(media_root)
    assert SECRET not in stored.read_bytes()
    with Image.open(stored) as image:
        assert getattr(image, "n_frames", 1) == frames
        assert not {"comment", "exif", "icc_profile", "xmp"} & set(image.info)
        # JPEG: no comment (COM), EXIF or XMP (APP1), or ICC profile (APP2) marker.
        assert {marker for marker, _ in getattr(image, "applist", [])} <= {"APP0"}


def test_a_truncated_animation_is_refused_or_re_encoded_never_an_error(
    editor_client, media_root
):
    data = crafted_gif((10, 10), 3)
    for length in range(len(data)):
        response = upload(editor_client, data[:length], "cut.gif", "image/gif")
        assert response.status_code in {
            HTTPStatus.OK,
            HTTPStatus.UNSUPPORTED_MEDIA_TYPE,
        }, length


# The alt text the editor's "Insert an image" control sends with the file.


def test_the_alt_text_goes_into_the_markdown_to_insert(editor_client, media_root):
    response = upload(
        editor_client,
        image_bytes("PNG"),
        "a.png",
        "image/png",
        alt="  A swollen\r\neyelid  ",
    )
    assert response.status_code == HTTPStatus.OK
    code = response.json()["image_code"]
    assert code.startswith("![A swollen eyelid](/media/markdownx/")
    assert 'alt="A swollen eyelid"' in render_markdown(code)


def test_an_upload_without_alt_text_goes_in_without_it(editor_client, media_root):
    response = upload(editor_client, image_bytes("PNG"), "a.png", "image/png")
    assert response.json()["image_code"].startswith("![](")


def test_alt_text_over_the_limit_is_refused_and_nothing_is_stored(
    editor_client, media_root
):
    response = upload(
        editor_client,
        image_bytes("PNG"),
        "a.png",
        "image/png",
        alt="x" * (MAX_ALT_CHARS + 1),
    )
    assert response.status_code == HTTPStatus.BAD_REQUEST
    assert response.json() == {
        "alt": [f"Keep the alt text to {MAX_ALT_CHARS} characters or fewer."]
    }
    assert stored_files(media_root) == []


@pytest.mark.parametrize(
    "alt",
    [
        "Brackets [1] and ] alone",
        "A back\\slash, and one at the end \\",
        "Code `x` and *stars* and __underscores__",
        "Fish & chips, &copy; and &#169; as typed",
        "<img src=x onerror=alert(1)> as text",
        "![nested](image.png)",
    ],
)
def test_alt_text_renders_exactly_as_written(alt):
    html = render_markdown(image_markdown("/media/markdownx/a.png", alt))
    (image,) = re.findall(r"<img [^>]*>", html)
    (shown,) = re.findall(r'alt="([^"]*)"', image)
    assert unescape(shown) == alt
    assert 'src="/media/markdownx/a.png"' in image
