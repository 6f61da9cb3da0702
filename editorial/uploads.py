"""Image uploads for the Markdown editor, made safe.

django-markdownx's own upload view accepts anonymous users and trusts the client's
content type, so an HTML file labelled as a GIF is stored as ``.html`` and served
from our origin (CVE-2024-2319). Here only raster images are accepted: Pillow must
recognise the file as PNG, JPEG, WebP or GIF, it is decoded and re-encoded (which
drops anything hidden in it, and every comment and metadata block), and it is stored
under a random name with an extension we choose from the decoded format.

Decoding has a budget, checked before any pixel is decoded: Pillow decodes every
frame of an animation at the size of its whole canvas, so a GIF of a few hundred
bytes can describe hundreds of millions of pixels (24 frames on a 6000 x 6000 canvas
took a worker to 2 GB and over a minute).
"""

from __future__ import annotations

import io
import re
import struct
import uuid
import warnings

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from PIL import Image, ImageSequence, UnidentifiedImageError

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
MAX_PIXELS = 40_000_000  # one frame: well above any photo an editor needs
MAX_FRAMES = 100
# Over all frames: one 40-megapixel photo, or 100 frames of 700 x 700.
MAX_TOTAL_PIXELS = 50_000_000
UPLOAD_DIR = "markdownx"
FORMATS = {"PNG": "png", "JPEG": "jpg", "WEBP": "webp", "GIF": "gif"}
# What frames need to show as they did; every other key of ``Image.info`` (comments,
# EXIF, ICC profiles, XMP, PNG text) is dropped before re-encoding.
PIXEL_INFO = ("duration", "loop", "transparency", "background")
MAX_ALT_CHARS = 250  # a sentence or two: longer descriptions belong in the text
# What would change the alt text if written as is between ![ and ]: brackets,
# backslashes and backticks, and an "&" that starts a character reference.
_ALT_SYNTAX_RE = re.compile(r"([\\\[\]`])")
_ALT_REFERENCE_RE = re.compile(r"&(?=#?[0-9A-Za-z]+;)")


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
                check_budget(probe, data)
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
        except (
            UnidentifiedImageError,
            OSError,
            SyntaxError,
            ValueError,
            struct.error,
            IndexError,
        ) as error:
            raise UploadRefused("The file is not an image we can read.") from error
    name = f"{UPLOAD_DIR}/{uuid.uuid4().hex}.{FORMATS[image_format]}"
    return default_storage.url(default_storage.save(name, ContentFile(encoded)))


def image_markdown(url: str, alt: str) -> str:
    """The Markdown of an image whose alt text renders exactly as written.

    Whitespace, line breaks included, is collapsed: a line break would end the image.
    """
    alt = _ALT_SYNTAX_RE.sub(r"\\\1", " ".join(alt.split()))
    return f"![{_ALT_REFERENCE_RE.sub('&amp;', alt)}]({url})"


def check_budget(image: Image.Image, data: bytes) -> None:
    """Refuse an image whose frames would take too much memory to decode.

    Read from the file's structure only: no frame is decoded.
    """
    if image.format == "GIF":
        frames, canvas = gif_frames(data)
    else:
        # PNG (APNG) and WebP frames never leave the canvas the header declares.
        frames, canvas = getattr(image, "n_frames", 1), image.width * image.height
    if frames > MAX_FRAMES:
        raise UploadRefused(
            f"The animation has {frames} frames: at most {MAX_FRAMES} frames "
            "are accepted."
        )
    if canvas > MAX_PIXELS or frames * canvas > MAX_TOTAL_PIXELS:
        raise UploadRefused(
            f"The image has too many pixels: at most {MAX_PIXELS // 1_000_000} "
            f"million in a frame and {MAX_TOTAL_PIXELS // 1_000_000} million over "
            "all its frames."
        )


def gif_frames(data: bytes) -> tuple[int, int]:
    """A GIF's number of frames, and the pixels of the canvas each is decoded onto.

    Walks the blocks around the compressed pixel data, as Pillow does, without
    decoding it. The canvas is the logical screen, grown to hold any frame drawn
    beyond it, as Pillow grows it. Stray bytes between blocks are skipped, as Pillow
    skips them, so no frame Pillow would decode goes uncounted.
    """
    width, height, flags = struct.unpack_from("<HHB", data, 6)
    position = 13 + (3 << (flags & 7) + 1 if flags & 0x80 else 0)
    frames = 0
    while position < len(data):
        introducer = data[position]
        position += 1
        if introducer == 0x3B:  # trailer
            break
        if introducer == 0x21:  # extension: its label, then data sub-blocks
            position = _after_sub_blocks(data, position + 1)
        elif introducer == 0x2C:  # a frame: its descriptor, palette, pixel data
            left, top, frame_width, frame_height, flags = struct.unpack_from(
                "<HHHHB", data, position
            )
            frames += 1
            width = max(width, left + frame_width)
            height = max(height, top + frame_height)
            position += 9 + (3 << (flags & 7) + 1 if flags & 0x80 else 0)
            position = _after_sub_blocks(data, position + 1)  # after the code size
    return frames, width * height


def _after_sub_blocks(data: bytes, position: int) -> int:
    while position < len(data) and data[position]:
        position += data[position] + 1
    return position + 1


def _pixels_only(image: Image.Image) -> Image.Image:
    image.info = {key: image.info[key] for key in PIXEL_INFO if key in image.info}
    return image


def _reencode(image: Image.Image, image_format: str) -> bytes:
    """The image's pixels, and how long each frame shows, in a new file."""
    output = io.BytesIO()
    animated = getattr(image, "is_animated", False)
    if image_format == "JPEG":
        _pixels_only(image.convert("RGB")).save(output, "JPEG", quality=90)
    elif image_format == "GIF" and animated:
        # Pillow rereads a GIF's comments on every seek: copy each frame. The GIF
        # writer holds every frame anyway, to store only what changes.
        frames = (_pixels_only(frame.copy()) for frame in ImageSequence.Iterator(image))
        first = next(frames)
        first.save(output, "GIF", save_all=True, append_images=frames)
    else:
        # An animated WebP is written one frame at a time, from the image itself.
        _pixels_only(image).save(output, image_format, save_all=animated)
    return output.getvalue()
