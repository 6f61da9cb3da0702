"""The site's icons and web app manifest: linked from every page, served with the
right type and size, and /favicon.ico answers at the root for clients that never
read the page (the admin, feed readers, a browser opening /robots.txt).

The static files are collected once, hashed and compressed as in production
(CompressedManifestStaticFilesStorage), and served by whitenoise through the
site's whole middleware stack."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from http import HTTPStatus
from urllib.parse import urljoin, urlsplit

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.test import override_settings
from PIL import Image

pytestmark = pytest.mark.django_db


PRODUCTION_STORAGES = {
    **django_settings.STORAGES,
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}


ICON_DIR = django_settings.BASE_DIR / "static" / "icons"


THEME_COLOUR = "#005eb8"


PNG, ICO, SVG = "image/png", "image/x-icon", "image/svg+xml"


MANIFEST = "application/manifest+json"


HASHED_NAME = re.compile(r"/[^/]+\.[0-9a-f]{12}\.[a-z]+$")


class HeadLinks(HTMLParser):
    """The <link> and <meta> elements of a page, as dictionaries of attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.links: list[dict[str, str]] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag, attrs):
        attributes = {name: value or "" for name, value in attrs}
        if tag == "link":
            self.links.append(attributes)
        elif tag == "meta" and "name" in attributes:
            self.meta[attributes["name"]] = attributes.get("content", "")

    def rel(self, rel: str) -> list[dict[str, str]]:
        return [link for link in self.links if rel in link.get("rel", "").split()]


@pytest.fixture(scope="module")
def collected_static(tmp_path_factory):
    """The static files as `make serve` collects them, once for the module."""
    root = tmp_path_factory.mktemp("static")
    with override_settings(STATIC_ROOT=root, STORAGES=PRODUCTION_STORAGES):
        call_command("collectstatic", interactive=False, verbosity=0)
    return root


@pytest.fixture(autouse=True)
def _production_static(settings, collected_static):
    settings.STATIC_ROOT = collected_static
    settings.STORAGES = PRODUCTION_STORAGES


def head_of(client, path: str, status: int = HTTPStatus.OK) -> HeadLinks:
    response = client.get(path)
    assert response.status_code == status, path
    parser = HeadLinks()
    parser.feed(response.text)
    return parser


def fetch(client, url: str, content_type: str) -> bytes:
    """The body of a static URL, checked to answer 200 with ``content_type``."""
    response = client.get(url)
    try:
        assert response.status_code == HTTPStatus.OK, url
        assert response["Content-Type"] == content_type, url
        return b"".join(response.streaming_content)
    finally:
        response.close()


def png_size(body: bytes) -> tuple[int, int]:
    image = Image.open(io.BytesIO(body))
    assert image.format == "PNG"
    return image.size


def test_every_kind_of_page_links_the_icons_manifest_and_theme_colour(client):
    for path, status in [
        ("/", HTTPStatus.OK),
        ("/no-such-page/", HTTPStatus.NOT_FOUND),
    ]:
        head = head_of(client, path, status)
        icons = {link.get("type", ""): link for link in head.rel("icon")}
        assert set(icons) == {"", SVG}, path
        assert icons[""]["sizes"] == "32x32"
        assert icons[""]["href"].startswith("/static/icons/favicon.")
        assert icons[""]["href"].endswith(".ico")
        assert icons[SVG]["href"].startswith("/static/icons/favicon.")
        [apple] = head.rel("apple-touch-icon")
        assert apple["href"].startswith("/static/icons/apple-touch-icon."), path
        assert len(head.rel("manifest")) == 1, path
        assert head.meta["theme-color"] == THEME_COLOUR


def test_linked_icons_are_hashed_and_served_with_their_type_and_size(client):
    head = head_of(client, "/")
    icons = {link.get("type", ""): link["href"] for link in head.rel("icon")}
    apple = head.rel("apple-touch-icon")[0]["href"]
    for url in [*icons.values(), apple, head.rel("manifest")[0]["href"]]:
        # A name with the content's hash in it, cached for good.
        assert HASHED_NAME.search(url), url
        response = client.get(url)
        response.close()
        assert "immutable" in response["Cache-Control"], url

    ico = Image.open(io.BytesIO(fetch(client, icons[""], ICO)))
    assert {(16, 16), (32, 32)} <= set(ico.ico.sizes())

    svg = ET.fromstring(fetch(client, icons[SVG], SVG))
    assert svg.tag == "{http://www.w3.org/2000/svg}svg"
    _, _, width, height = svg.attrib["viewBox"].split()
    assert width == height

    assert png_size(fetch(client, apple, PNG)) == (180, 180)


def test_the_manifest_names_the_site_and_its_icons_exist(client):
    head = head_of(client, "/")
    manifest_url = head.rel("manifest")[0]["href"]
    manifest = json.loads(fetch(client, manifest_url, MANIFEST))

    assert manifest["name"] == "Twitch Guide"
    assert 0 < len(manifest["short_name"]) <= 12
    assert manifest["start_url"] == "/"
    assert manifest["display"] in {"browser", "standalone", "minimal-ui"}
    assert manifest["theme_color"] == head.meta["theme-color"]
    assert manifest["background_color"].startswith("#")

    purposes: dict[str, set[str]] = {}
    for icon in manifest["icons"]:
        url = urljoin(manifest_url, icon["src"])
        assert urlsplit(url).path.startswith("/static/"), icon
        body = fetch(client, url, icon["type"])
        if icon["type"] == PNG:
            width, height = png_size(body)
            assert icon["sizes"] == f"{width}x{height}", icon
        purposes.setdefault(icon.get("purpose", "any"), set()).add(icon["sizes"])
    # What browsers need to install the site and to draw it on a home screen.
    assert {"192x192", "512x512"} <= purposes["any"]
    assert "512x512" in purposes["maskable"]


@pytest.mark.parametrize(
    ("path", "content_type"),
    [("/favicon.ico", ICO), ("/apple-touch-icon.png", PNG)],
)
def test_the_icons_clients_ask_for_unprompted_answer_at_the_root(
    client, path, content_type
):
    body = fetch(client, path, content_type)
    assert body == (ICON_DIR / path.lstrip("/")).read_bytes()


def test_the_admin_gets_the_favicon_from_the_root(client):
    """The admin's pages link no icon, so the browser asks for /favicon.ico."""
    head = head_of(client, "/admin/login/")
    assert not head.rel("icon")
    assert client.get("/favicon.ico").status_code == HTTPStatus.OK


@pytest.mark.parametrize("name", ["icon-maskable-192.png", "icon-maskable-512.png"])
def test_maskable_icons_fill_the_square_and_keep_the_mark_in_the_safe_zone(name):
    """A system may cut any shape from a maskable icon down to the circle of 80%
    of its width: outside that circle there is only the background."""
    image = Image.open(ICON_DIR / name).convert("RGBA")
    width, height = image.size
    centre, radius = width / 2, 0.4 * width
    pixels = image.load()
    background = pixels[0, 0]
    assert background[3] == 255
    outside = {
        pixels[x, y]
        for x in range(width)
        for y in range(height)
        if (x + 0.5 - centre) ** 2 + (y + 0.5 - centre) ** 2 > radius**2
    }
    assert outside == {background}
    # ... and the white mark is there, inside the circle.
    colours = {colour for _, colour in image.getcolors(width * height)}
    assert (255, 255, 255, 255) in colours


def test_the_apple_touch_icon_is_opaque():
    """iOS fills transparent pixels with black and rounds the corners itself."""
    image = Image.open(ICON_DIR / "apple-touch-icon.png")
    assert image.mode == "RGB"
