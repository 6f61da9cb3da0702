"""Image uploads for the Markdown editor, made safe.

django-markdownx's own upload view accepts anonymous users and trusts the client's
content type, so an HTML file labelled as a GIF is stored as ``.html`` and served
from our origin (CVE-2024-2319). Here only raster images are accepted: Pillow must
recognise the file as PNG, JPEG, WebP or GIF, it is decoded and re-encoded (which
drops anything hidden in it), and it is stored under a random name with an extension
we choose from the decoded format.
"""

from __future__ import annotations

import io
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # well above any photo an editor needs; below bomb sizes
UPLOAD_DIR = "markdownx"
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}


class UploadRefused(Exception):
    """The file is not an image we accept; the message says why, for the editor."""


def store_image(data: bytes) -> str:
    """Validate and re-encode an uploaded image; return the stored file's URL."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise UploadRefused(
            f"The image is larger than {MAX_UPLOAD_BYTES // (1024 * 1024)} MB."
        )
    with warnings.catch_warnings():
        # Pillow warns before it raises on very large images: refuse both.
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data)) as probe:
                image_format = probe.format
                if image_format not in FORMATS:
                    raise UploadRefused(
                        "Only PNG, JPEG, WebP and GIF images can be uploaded."
                    )
                if probe.width * probe.height > MAX_PIXELS:
                    raise UploadRefused("The image has too many pixels.")
                probe.verify()
            with Image.open(io.BytesIO(data)) as image:
                image.load()
                encoded = _reencode(image, image_format)
        except UploadRefused:
            raise
        except (
            Image.DecompressionBombError,
            Image.DecompressionBombWarning,
        ) as error:
            raise UploadRefused("The image is too large to decode safely.") from error
        except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as error:
            raise UploadRefused("The file is not an image we can read.") from error
    name = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{FORMATS[image_format]}"
    return default_storage.url(default_storage.save(name, ContentFile(encoded)))


def _reencode(image: Image.Image, image_format: str) -> bytes:
    output = io.BytesIO()
    if image_format == "JPEG":
        image.convert("RGB").save(output, "JPEG", quality=90)
    elif image_format in {"GIF", "WEBP"} and getattr(image, "is_animated", False):
        image.save(output, image_format, save_all=True)
    else:
        image.save(output, image_format)
    return output.getvalue()
