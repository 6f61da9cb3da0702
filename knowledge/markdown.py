"""The project's one Markdown renderer: untrusted Markdown in, safe HTML out.

Two layers, so that a mistake in one is caught by the other:

1. Python-Markdown (tables, sane_lists, toc) with its raw-HTML handling switched
   off: HTML typed into the source is escaped and shown as text. ``# x`` becomes
   ``<h2>`` (the page title is the only ``<h1>``) and headings get slug ids.
2. nh3 with an explicit allowlist of tags, attributes and URL schemes, run on every
   result whatever Markdown produced.

``render_markdown`` is django-markdownx's MARKDOWNX_MARKDOWNIFY_FUNCTION.
"""

import html
import logging
import re
import xml.etree.ElementTree as etree
from typing import Any, TypedDict

import markdown
import nh3
from markdown.extensions.toc import slugify
from markdown.inlinepatterns import LinkInlineProcessor
from markdown.treeprocessors import Treeprocessor

logger = logging.getLogger(__name__)

ALLOWED_TAGS = frozenset(
    {"p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i"}
    | {"code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table", "thead"}
    | {"tbody", "tr", "th", "td", "sup", "sub", "del"}
)
ALLOWED_ATTRIBUTES: dict[str, set[str]] = {
    "*": set(),  # switches off ammonia's default generic attributes (lang, title)
    "a": {"href", "title"},
    "img": {"src", "alt", "title"},
    "ol": {"start"},
    **{heading: {"id"} for heading in ("h2", "h3", "h4")},  # see _keep_attribute
}
ALIGN_VALUES = {"align": {"left", "center", "right"}}  # th/td, via tag_attribute_values
# Removed together with their contents, should any ever reach nh3 as real tags.
CLEAN_CONTENT_TAGS = frozenset(
    {"script", "style", "template", "iframe", "frame", "object", "embed", "svg"}
    | {"math", "noscript", "noembed", "xmp", "plaintext", "textarea", "title"}
)
HEADING_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")
TOC_LEVELS = (2, 3)
_UNSAFE_CHARS_RE = re.compile("[\x00\ud800-\udfff]")  # NUL and lone surrogates
_CONTROL_CHARS_RE = re.compile("[\x00-\x1f\x7f]")
# Python-Markdown recurses (and slows down) once per nesting level; cap it.
_DEEP_INDENT_RE = re.compile(r"^ {64,}", re.MULTILINE)  # after expandtabs
_DEEP_QUOTE_RE = re.compile(r"^((?:[ \t]*>){32})(?:[ \t]*>)+", re.MULTILINE)
_BRACKET_RE = re.compile(r"[\[\]]")


class TocEntry(TypedDict):
    id: str
    name: str
    level: int


def _keep_attribute(tag: str, attribute: str, value: str) -> str | None:
    """Runs after nh3's own checks, so it may only narrow them."""
    if attribute == "id":
        return value if HEADING_ID_RE.fullmatch(value) else None
    if attribute in {"href", "src"}:
        # No URL whose scheme a lax reader could rebuild: "java\x01script:",
        # "jav   ascript:" (nh3 passes both on as relative URLs).
        if _CONTROL_CHARS_RE.search(value):
            return None
        return value.strip(" ").replace(" ", "%20")
    return value


_CLEANER = nh3.Cleaner(
    tags=ALLOWED_TAGS,
    clean_content_tags=CLEAN_CONTENT_TAGS,
    attributes=ALLOWED_ATTRIBUTES,
    attribute_filter=_keep_attribute,
    strip_comments=True,
    link_rel="noopener noreferrer nofollow",
    tag_attribute_values={"th": ALIGN_VALUES, "td": ALIGN_VALUES},
    url_schemes={"http", "https", "mailto"},
)


def clean_html(fragment: str) -> str:
    """Layer 2 on its own: reduce any HTML fragment to the allowlist."""
    return _CLEANER.clean(_UNSAFE_CHARS_RE.sub("\ufffd", fragment))


def _slugify(value: str, separator: str) -> str:
    """Markdown's slug, trimmed so that it always passes HEADING_ID_RE."""
    return slugify(value, separator).strip("-_") or "section"


class _DemoteH1(Treeprocessor):
    """Turn ``<h1>`` into ``<h2>``; runs before toc (priority 5) sees the levels."""

    def run(self, root: etree.Element) -> None:
        for element in root.iter("h1"):
            element.tag = "h2"


def _get_link_text(data: str, index: int) -> tuple[str, int, bool]:
    """LinkInlineProcessor.getText, bounded: upstream is O(n²) on "[[[[…" (#798)."""
    depth = 1
    for match in _BRACKET_RE.finditer(data, index, index + 2000):
        depth += 1 if match.group() == "[" else -1
        if depth == 0:
            return data[index : match.start()], match.end(), True
        if depth > 16:
            break
    return "", index, False


def _new_markdown() -> markdown.Markdown:
    # A Markdown instance keeps per-document state (toc_tokens, stashed HTML,
    # references) and is not thread-safe, so each call gets a fresh one.
    md = markdown.Markdown(
        extensions=["tables", "sane_lists", "toc"],
        extension_configs={
            "tables": {"use_align_attribute": True},
            "toc": {"permalink": False, "marker": "", "slugify": _slugify},
        },
    )
    md.preprocessors.deregister("html_block")  # raw HTML blocks -> escaped text
    md.inlinePatterns.deregister("html")  # inline raw HTML -> escaped text
    md.treeprocessors.register(_DemoteH1(md), "demote_h1", 7)
    for processor in md.inlinePatterns:  # links, images and references
        if isinstance(processor, LinkInlineProcessor):
            processor.getText = _get_link_text  # type: ignore[method-assign]
    return md


def _flatten(tokens: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [t for token in tokens for t in (token, *_flatten(token["children"]))]


def render_markdown_with_toc(text: str) -> tuple[str, list[TocEntry]]:
    """Return sanitised HTML and the h2/h3 headings as {"id", "name", "level"}."""
    if not text:
        return "", []
    text = _UNSAFE_CHARS_RE.sub("\ufffd", text)
    text = _DEEP_INDENT_RE.sub(" " * 64, text.expandtabs(4))  # as Markdown would
    text = _DEEP_QUOTE_RE.sub(r"\1", text)
    md = _new_markdown()
    try:
        body = md.convert(text)
    except Exception:  # e.g. RecursionError; the source is still shown, escaped.
        logger.warning("Markdown rendering failed; showing escaped text", exc_info=True)
        return clean_html(f"<pre>{html.escape(text)}</pre>"), []
    toc: list[TocEntry] = [
        {"id": t["id"], "name": html.unescape(t["name"]), "level": t["level"]}
        for t in _flatten(getattr(md, "toc_tokens", []))
        if t["level"] in TOC_LEVELS and HEADING_ID_RE.fullmatch(t["id"])
    ]
    return clean_html(body), toc


def render_markdown(text: str) -> str:
    """Render untrusted Markdown to sanitised HTML (never raises on a str)."""
    return render_markdown_with_toc(text)[0]
