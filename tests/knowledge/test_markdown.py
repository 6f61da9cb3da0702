"""The Markdown renderer keeps Markdown's features and lets nothing executable out.

The renderer is pure (no database, no settings); the XSS corpus lives in
tests/data/xss/ (provenance in its README.md)."""

import gzip
import re
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from knowledge.markdown import clean_html, render_markdown, render_markdown_with_toc

XSS_DIR = Path(__file__).resolve().parents[1] / "data" / "xss"


CORPUS_FILES = sorted(
    path for path in XSS_DIR.iterdir() if path.suffix in {".txt", ".svg", ".svgz"}
)


# 1,446 unique payloads at the time of writing (1,437 lines + 9 SVG documents).
MIN_UNIQUE_PAYLOADS = 1440


GZIP_MAGIC = b"\x1f\x8b"


# The spec, written out independently of the module so a change there shows here.
ALLOWED_TAGS = {
    *("p", "br", "hr", "h2", "h3", "h4", "h5", "h6", "strong", "em", "b", "i"),
    *("code", "pre", "blockquote", "ul", "ol", "li", "a", "img", "table"),
    *("thead", "tbody", "tr", "th", "td", "sup", "sub", "del"),
}


ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "rel"},
    "img": {"src", "alt", "title"},
    "th": {"align"},
    "td": {"align"},
    "ol": {"start"},
    "h2": {"id"},
    "h3": {"id"},
    "h4": {"id"},
}


FORBIDDEN_TAGS = {
    *("script", "iframe", "object", "embed", "svg", "math", "style", "form"),
    *("base", "meta", "link"),
}


FORBIDDEN_ATTRIBUTES = {"style", "srcdoc", "formaction", "xlink:href"}


SAFE_URL_PREFIXES = ("http:", "https:", "mailto:")


DANGEROUS_URL_PREFIXES = ("javascript:", "vbscript:", "livescript:", "data:", "file:")


HEADING_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]*")


SCHEME_RE = re.compile(r"[a-z][a-z0-9+.-]*:")


CONTROL_OR_SPACE = "".join(map(chr, range(0x21)))


WHITESPACE_OR_CONTROL_RE = re.compile(r"[\x00-\x20\x7f]")


class TagCollector(HTMLParser):
    """Record every tag, and anything that is neither a tag nor text."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.start_tags: list[tuple[str, dict[str, str]]] = []
        self.end_tags: list[str] = []
        self.other: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.start_tags.append((tag, {name: value or "" for name, value in attrs}))

    def handle_endtag(self, tag: str) -> None:
        self.end_tags.append(tag)

    def handle_comment(self, data: str) -> None:
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl: str) -> None:
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data: str) -> None:
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data: str) -> None:
        self.other.append(f"declaration {data!r}")


def parse(rendered: str) -> TagCollector:
    collector = TagCollector()
    collector.feed(rendered)
    collector.close()
    return collector


def is_safe_url(value: str) -> bool:
    """Relative, or http:, https: or mailto: (value already entity-decoded).

    The scheme is read as a browser reads it: tabs and newlines removed anywhere,
    controls and spaces trimmed at the ends (so "a b:c" is a relative URL). As a
    stricter second check, no known script-running scheme may appear at the start
    even once every whitespace and control character is removed.
    """
    url = value.translate({9: None, 10: None, 13: None}).strip(CONTROL_OR_SPACE)
    url = url.lower()
    squeezed = WHITESPACE_OR_CONTROL_RE.sub("", value).lower()
    if squeezed.startswith(DANGEROUS_URL_PREFIXES):
        return False
    return not SCHEME_RE.match(url) or url.startswith(SAFE_URL_PREFIXES)


def problems_in(rendered: str) -> list[str]:
    """Everything in rendered HTML that breaks the allowlist; [] when it is safe."""
    collector = parse(rendered)
    problems = list(collector.other)
    for tag in collector.end_tags:
        if tag not in ALLOWED_TAGS or tag in FORBIDDEN_TAGS:
            problems.append(f"</{tag}>")
    for tag, attrs in collector.start_tags:
        if tag not in ALLOWED_TAGS or tag in FORBIDDEN_TAGS:
            problems.append(f"<{tag}>")
        for name, value in attrs.items():
            if name.startswith("on") or name in FORBIDDEN_ATTRIBUTES:
                problems.append(f"<{tag} {name}={value!r}>")
            elif name not in ALLOWED_ATTRIBUTES.get(tag, set()):
                problems.append(f"<{tag}> attribute {name}")
            elif name in {"href", "src"} and not is_safe_url(value):
                problems.append(f"<{tag} {name}={value!r}>")
            elif name == "align" and value not in {"left", "center", "right"}:
                problems.append(f"<{tag} align={value!r}>")
            elif name == "id" and not HEADING_ID_RE.fullmatch(value):
                problems.append(f"<{tag} id={value!r}>")
    return problems


def assert_harmless(rendered: str) -> None:
    assert isinstance(rendered, str)
    assert problems_in(rendered) == [], rendered


def load_payloads(path: Path) -> list[str]:
    """Unique non-empty lines of a .txt list; the whole text of an SVG file."""
    data = path.read_bytes()
    if data.startswith(GZIP_MAGIC):  # .svgz (the corpus's xss.svgz is not gzipped)
        data = gzip.decompress(data)
    text = data.decode("utf-8")
    if path.suffix == ".txt":
        return list(dict.fromkeys(line for line in text.splitlines() if line.strip()))
    return [text] if text.strip() else []


def in_contexts(payload: str) -> dict[str, str]:
    """The payload as an article body and inside Markdown constructs."""
    return {
        "body": payload,
        "link target": f"[x]({payload})",
        "image target": f"![x]({payload})",
        "table cell": f"| a | b |\n| --- | --- |\n| {payload} | c |\n",
    }


def unsafe_renderings(payloads: list[str], render: Callable[[str], str]) -> list[str]:
    """Render each payload in each context; describe every unsafe result."""
    failures = []
    for payload in payloads:
        for context, source in in_contexts(payload).items():
            try:
                rendered = render(source)
            except Exception as error:  # noqa: BLE001 - report every payload, not just the first
                failures.append(f"[{context}] {payload!r}: raised {error!r}")
                continue
            if not isinstance(rendered, str):
                failures.append(f"[{context}] {payload!r}: returned {rendered!r}")
            elif problems := problems_in(rendered):
                failures.append(f"[{context}] {payload!r}: {problems}")
    return failures


def failure_report(failures: list[str], payloads: list[str]) -> str:
    head = f"{len(failures)} unsafe renderings of {len(payloads)} payloads:\n"
    return head + "\n".join(failures[:30])


def test_empty_input_renders_as_empty_string():
    assert render_markdown("") == ""
    assert render_markdown_with_toc("") == ("", [])


def test_paragraphs_emphasis_and_code_survive():
    rendered = render_markdown("One *em* **strong** `x < y`.\n\nTwo.\n\n    code <b>\n")
    assert rendered == (
        "<p>One <em>em</em> <strong>strong</strong> <code>x &lt; y</code>.</p>\n"
        "<p>Two.</p>\n"
        "<pre><code>code &lt;b&gt;\n</code></pre>"
    )


def test_headings_get_slug_ids():
    rendered = render_markdown("## Getting started\n\n### Why & how\n\n#### Deep\n")
    assert '<h2 id="getting-started">Getting started</h2>' in rendered
    assert '<h3 id="why-how">Why &amp; how</h3>' in rendered
    assert '<h4 id="deep">Deep</h4>' in rendered


def test_level_one_heading_becomes_h2():
    rendered = render_markdown("# Title\n\ntext")
    assert '<h2 id="title">Title</h2>' in rendered
    assert "<h1" not in rendered


def test_h5_and_h6_render_without_ids():
    rendered = render_markdown("##### Five\n\n###### Six")
    assert "<h5>Five</h5>" in rendered
    assert "<h6>Six</h6>" in rendered


def test_duplicate_and_punctuation_only_headings_get_valid_unique_ids():
    html_out, toc = render_markdown_with_toc("## Same\n\n## Same\n\n## -_-\n\n## 日本")
    assert [entry["id"] for entry in toc] == ["same", "same_1", "section", "section_1"]
    for entry in toc:
        assert f'id="{entry["id"]}"' in html_out


def test_lists_render_including_ordered_start():
    rendered = render_markdown("- a\n- b\n\n3. c\n4. d\n")
    assert "<ul>\n<li>a</li>\n<li>b</li>\n</ul>" in rendered
    assert '<ol start="3">\n<li>c</li>\n<li>d</li>\n</ol>' in rendered


def test_pipe_table_renders_as_real_table_with_alignment():
    rendered = render_markdown("| L | C | R |\n|:--|:-:|--:|\n| a | b | c |\n")
    collector = parse(rendered)
    tags = [tag for tag, _ in collector.start_tags]
    assert tags[:3] == ["table", "thead", "tr"]
    assert tags.count("th") == 3 and tags.count("td") == 3 and "tbody" in tags
    aligns = [attrs.get("align") for tag, attrs in collector.start_tags if tag == "td"]
    assert aligns == ["left", "center", "right"]
    assert '<th align="center">C</th>' in rendered
    assert "style" not in rendered


def test_links_get_rel_and_keep_href_and_title():
    rendered = render_markdown(
        '[ext](https://example.com/a "T") [rel](/articles/x/) [mail](mailto:a@b.org)'
    )
    links = [attrs for tag, attrs in parse(rendered).start_tags if tag == "a"]
    assert links == [
        {
            "href": "https://example.com/a",
            "title": "T",
            "rel": "noopener noreferrer nofollow",
        },
        {"href": "/articles/x/", "rel": "noopener noreferrer nofollow"},
        {"href": "mailto:a@b.org", "rel": "noopener noreferrer nofollow"},
    ]


def test_images_keep_src_alt_and_title():
    rendered = render_markdown(
        '![A cat](/media/cat.png "Cat") ![b](https://x.org/b.jpg)'
    )
    images = [attrs for tag, attrs in parse(rendered).start_tags if tag == "img"]
    assert images == [
        {"alt": "A cat", "src": "/media/cat.png", "title": "Cat"},
        {"alt": "b", "src": "https://x.org/b.jpg"},
    ]


def test_raw_html_is_shown_as_text():
    rendered = render_markdown("<b>bold</b>\n\n<div>block</div>\n\n<!-- note -->")
    assert "&lt;b&gt;bold&lt;/b&gt;" in rendered
    assert "&lt;div&gt;block&lt;/div&gt;" in rendered
    assert "&lt;!-- note --&gt;" in rendered
    assert "<b>" not in rendered and "<div>" not in rendered


@pytest.mark.parametrize(
    "source",
    [
        "<script>alert(1)</script>",
        "<img src=x onerror=alert(1)>",
        "[x](javascript:alert(1))",
        "![x](javascript:alert(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        '<a href="vbscript:msgbox(1)">x</a>',
        "<svg onload=alert(1)>",
        '<iframe src="https://evil.example/"></iframe>',
        "[x](JaVaScRiPt:alert(1)) [y](&#106;avascript:alert(1)) [z]( javascript:1)",
        "[x](<javascript:alert(1)>) <javascript:alert(1)> <ftp://x.org/>",
        '[x][r]\n\n[r]: javascript:alert(1) "t"',
        '[x](https://ok.example/"onmouseover="alert(1))',
        '![x](https://ok.example/a.png"onerror="alert(1))',
        "## x {: onclick=alert(1) }\n\n[TOC]",
    ],
)
def test_known_attacks_come_out_harmless(source):
    rendered = render_markdown(source)
    assert_harmless(rendered)
    for tag, attrs in parse(rendered).start_tags:
        urls = [attrs.get("href", ""), attrs.get("src", "")]
        assert not any("script" in url.lower() for url in urls), (tag, attrs)


def test_script_tag_is_escaped_not_executable():
    rendered = render_markdown("<script>alert(1)</script>")
    assert rendered == "<p>&lt;script&gt;alert(1)&lt;/script&gt;</p>"


def test_unsafe_link_keeps_its_text_but_loses_its_href():
    rendered = render_markdown("[click](javascript:alert(1))")
    assert rendered == '<p><a rel="noopener noreferrer nofollow">click</a></p>'


def test_corpus_is_present_and_not_vacuous():
    """The file tests below read the same files, so they cannot pass on nothing."""
    names = {path.name for path in CORPUS_FILES}
    assert len([n for n in names if n.endswith(".txt")]) == 10
    assert len([n for n in names if n.endswith(".svg")]) == 8
    assert "xss.svgz" in names
    unique = {payload for path in CORPUS_FILES for payload in load_payloads(path)}
    assert len(unique) >= MIN_UNIQUE_PAYLOADS


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_payloads_come_out_harmless(path):
    payloads = load_payloads(path)
    assert payloads, f"no payloads read from {path}"
    failures = unsafe_renderings(payloads, render_markdown)
    assert not failures, failure_report(failures, payloads)


@pytest.mark.parametrize("path", CORPUS_FILES, ids=lambda path: path.name)
def test_corpus_is_harmless_through_the_sanitiser_alone(path):
    """Defence in depth: even Markdown that passes raw HTML through is made safe."""
    payloads = load_payloads(path)
    assert payloads, f"no payloads read from {path}"
    failures = unsafe_renderings(payloads, lambda s: clean_html(markdown.markdown(s)))
    assert not failures, failure_report(failures, payloads)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param("a\x00b\x00<script>\x00", id="nul-bytes"),
        pytest.param("a\ud800b\udfffc", id="lone-surrogates"),
        pytest.param("\x02wzxhzdk:0\x03 \x01\x1b\x7f", id="control-chars"),
        pytest.param("lorem ipsum *dolor* [sit](amet)\n\n" * 30_000, id="1mb-text"),
        pytest.param("word " * 200_000, id="1mb-paragraph"),
        pytest.param(">" * 5_000 + " deep", id="5000-gt"),
        pytest.param("\n".join(">" * i + " x" for i in range(1, 2_000)), id="quotes"),
        pytest.param("- " * 5_000 + "x", id="5000-list-markers"),
        pytest.param("\n".join("    " * i + "- x" for i in range(1_000)), id="indent"),
        pytest.param("> - " * 2_000 + "x", id="quote-list-mix"),
        pytest.param("[" * 20_000, id="20000-brackets"),
        pytest.param("![" * 20_000, id="20000-image-brackets"),
        pytest.param("`" * 5_000 + "a", id="5000-backticks"),
        pytest.param("|" * 10_000, id="pipes"),
    ],
)
def test_hostile_input_returns_safe_str(source):
    rendered = render_markdown(source)
    assert_harmless(rendered)
    assert "\x00" not in rendered
    rendered.encode("utf-8")  # no lone surrogates left


def test_nul_and_surrogates_become_replacement_characters():
    assert render_markdown("a\x00b\ud800c") == "<p>a\ufffdb\ufffdc</p>"


def test_unparseable_nesting_falls_back_to_escaped_text():
    rendered = render_markdown("- " * 5_000 + "<b>x</b>")
    assert rendered.startswith("<pre>- - - ")
    assert rendered.endswith("&lt;b&gt;x&lt;/b&gt;</pre>")


def test_toc_lists_h2_and_h3_in_order_with_ids_from_the_html():
    source = (
        "# Intro\n\n## Causes & **risks**\n\n### Stress <b>\n\n"
        "#### Not listed\n\n## Causes & risks\n"
    )
    rendered, toc = render_markdown_with_toc(source)
    assert toc == [
        {"id": "intro", "name": "Intro", "level": 2},
        {"id": "causes-risks", "name": "Causes & risks", "level": 2},
        {"id": "stress-b", "name": "Stress <b>", "level": 3},
        {"id": "causes-risks_1", "name": "Causes & risks", "level": 2},
    ]
    heading_ids = [
        attrs["id"] for tag, attrs in parse(rendered).start_tags if tag in {"h2", "h3"}
    ]
    assert heading_ids == [entry["id"] for entry in toc]


def test_concurrent_renders_keep_their_own_headings():
    sources = [f"## Heading {i}\n\ntext" for i in range(200)]
    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(render_markdown_with_toc, sources))
    for i, (rendered, toc) in enumerate(results):
        assert toc == [{"id": f"heading-{i}", "name": f"Heading {i}", "level": 2}]
        assert f'<h2 id="heading-{i}">' in rendered


def test_toc_is_empty_without_headings():
    assert render_markdown_with_toc("just text") == ("<p>just text</p>", [])


def test_sanitiser_removes_script_and_style_with_their_contents():
    cleaned = clean_html(
        "<script>alert(1)</script><style>p{}</style><iframe>x</iframe>"
        "<svg><script>alert(2)</script></svg><p>kept</p><div>text</div>"
    )
    assert cleaned == "<p>kept</p>text"


def test_sanitiser_drops_generic_attributes_and_obfuscated_urls():
    cleaned = clean_html(
        '<p lang="en" title="t" class="c" id="x">a</p>'
        '<a href="java&#1;script:alert(1)">b</a><img src="jav   ascript:x">'
        '<a href="https://example.com/a b">c</a>'
    )
    assert cleaned == (
        '<p>a</p><a rel="noopener noreferrer nofollow">b</a>'
        '<img src="jav%20%20%20ascript:x">'
        '<a href="https://example.com/a%20b" rel="noopener noreferrer nofollow">c</a>'
    )


def test_checker_catches_what_it_is_meant_to_catch():
    problems = problems_in(
        '<script>x</script><h1>t</h1><a href=" JaVa&#x09;script:x" onclick="y">a</a>'
        '<img src="data:image/png;base64,AA" style="s"><td align="justify">'
        '<h2 id="-bad">h</h2><!-- c --><svg><a xlink:href="x"></a></svg>'
    )
    for expected in ("<script>", "<h1>", "onclick", "href", "src", "style", "<svg>"):
        assert any(expected in problem for problem in problems), expected
    assert any("align" in problem for problem in problems)
    assert any("-bad" in problem for problem in problems)
    assert any("comment" in problem for problem in problems)
    assert any("xlink:href" in problem for problem in problems)
    assert problems_in('<p><a href="/x" rel="noopener">y</a></p>') == []
