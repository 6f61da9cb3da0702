"""Draw the site's icons into static/icons/: `.venv/bin/python tools/icons.py`.

One drawing, a white pulse line on a rounded square of the site's blue, written as
an SVG for browsers that take one, and drawn with Pillow for the rest: favicon.ico
(16, 32 and 48 px), the 180 px Apple touch icon, and the 192 and 512 px icons of
the web app manifest, plain and maskable. The Apple and maskable icons fill the
whole square, since the system cuts its own shape from them, and the maskable one
keeps its mark inside the central circle that every mask leaves visible.
"""

from __future__ import annotations

import itertools
import math
from pathlib import Path

from PIL import Image, ImageDraw

ICONS = Path(__file__).resolve().parent.parent / "static" / "icons"
BLUE = "#005eb8"
WHITE = "#ffffff"
# The drawing is made on a 512-unit square.
UNITS = 512
CORNER_RADIUS = 112
STROKE = 44
# A flat line, a small rise, one sharp twitch down and up, and flat again.
PULSE = [
    (96, 272),
    (184, 272),
    (224, 184),
    (288, 360),
    (328, 232),
    (352, 272),
    (416, 272),
]
# Where the whole square is the icon, the mark is drawn smaller.
FULL_BLEED_SCALE = 0.86
MASKABLE_SCALE = 0.72
# Drawn this many times larger, then scaled down, for smooth edges.
SUPERSAMPLE = 8


def svg() -> str:
    points = " ".join(f"{x},{y}" for x, y in PULSE)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {UNITS} {UNITS}">'
        f'<rect width="{UNITS}" height="{UNITS}" rx="{CORNER_RADIUS}" '
        f'fill="{BLUE}"/>'
        f'<polyline points="{points}" fill="none" stroke="{WHITE}" '
        f'stroke-width="{STROKE}" stroke-linecap="round" stroke-linejoin="round"/>'
        "</svg>\n"
    )


def draw(size: int, *, full_bleed: bool = False, scale: float = 1.0) -> Image.Image:
    """The icon at ``size`` pixels square."""
    big = size * SUPERSAMPLE
    unit = big / UNITS
    image = Image.new("RGBA", (big, big), (0, 0, 0, 0))
    canvas = ImageDraw.Draw(image)
    if full_bleed:
        canvas.rectangle((0, 0, big, big), fill=BLUE)
    else:
        canvas.rounded_rectangle(
            (0, 0, big - 1, big - 1), radius=CORNER_RADIUS * unit, fill=BLUE
        )
    centre = UNITS / 2
    points = [
        ((centre + (x - centre) * scale) * unit, (centre + (y - centre) * scale) * unit)
        for x, y in PULSE
    ]
    radius = STROKE * scale * unit / 2
    # Each segment a filled band, each point a disc: round joins and round caps.
    for (x1, y1), (x2, y2) in itertools.pairwise(points):
        length = math.hypot(x2 - x1, y2 - y1)
        dx, dy = (y1 - y2) / length * radius, (x2 - x1) / length * radius
        band = [(x1 + dx, y1 + dy), (x2 + dx, y2 + dy), (x2 - dx, y2 - dy)]
        canvas.polygon([*band, (x1 - dx, y1 - dy)], fill=WHITE)
    for x, y in points:
        canvas.ellipse((x - radius, y - radius, x + radius, y + radius), fill=WHITE)
    return image.resize((size, size), Image.Resampling.LANCZOS)


def main() -> None:
    ICONS.mkdir(parents=True, exist_ok=True)
    (ICONS / "favicon.svg").write_text(svg())
    small = [draw(size) for size in (16, 32, 48)]
    small[-1].save(
        ICONS / "favicon.ico",
        sizes=[image.size for image in small],
        append_images=small[:-1],
    )
    opaque = {"optimize": True}
    apple = draw(180, full_bleed=True, scale=FULL_BLEED_SCALE).convert("RGB")
    apple.save(ICONS / "apple-touch-icon.png", **opaque)
    for size in (192, 512):
        draw(size).save(ICONS / f"icon-{size}.png", optimize=True)
        maskable = draw(size, full_bleed=True, scale=MASKABLE_SCALE).convert("RGB")
        maskable.save(ICONS / f"icon-maskable-{size}.png", **opaque)
    for path in sorted(ICONS.iterdir()):
        print(path.relative_to(ICONS.parent.parent))  # noqa: T201 - what was written


if __name__ == "__main__":
    main()
