"""Checks of an article body that an editor sees before sending it for review.

They read the body as readers get it: the sanitised HTML of
``knowledge.markdown.render_markdown``, so that Markdown syntax is never counted as
words and nothing the sanitiser removes is taken for content. Each problem is a
``Finding`` whose message says what is wrong, where, and how to fix it in Markdown.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from posixpath import basename

import textstat

# Patient information should read easily for most adults: Flesch reading ease 60 or
# more ("plain English"), and no more than about US school grade 8, the level of the
# average adult reader.
TARGET_EASE = 60
TARGET_GRADE = 8
# Below this, a readability formula says more about the sample than the text.
MIN_WORDS = 50
EASE_BANDS = [
    (90, "very easy"),
    (80, "easy"),
    (70, "fairly easy"),
    (60, "plain English"),
    (50, "fairly difficult"),
    (30, "difficult"),
]
HEADINGS = {f"h{level}": level for level in range(2, 7)}
# The blocks that should never render empty, with how Markdown usually makes one.
EMPTY_BLOCKS = {
    "p": ("paragraph", "It holds only spaces, or formatting with nothing inside."),
    "li": ("list item", "A line with only “-”, “*” or “1.” makes one."),
    "blockquote": ("quotation", "A line with only “>” makes one."),
    **dict.fromkeys(HEADINGS, ("heading", "A line with only “#” makes one.")),
}
# Text inside these is not prose: it does not count towards the reading level.
NOT_PROSE = {"pre", "table", "hr", *HEADINGS}
BLOCKS = {"p", "li", "ul", "ol", "blockquote"}
VOID = {"br", "hr", "img"}
# Zero-width characters show nothing, like whitespace.
_INVISIBLE = str.maketrans("", "", "\u200b\u200c\u200d\u2060\ufeff")
_SPACES_RE = re.compile(r"\s+")
_SENTENCE_END_RE = re.compile(r"[.!?][\"'”’)]*$")


@dataclass(frozen=True)
class Finding:
    """One problem: ``check`` names the check, ``message`` tells the editor."""

    check: str
    message: str


@dataclass(frozen=True)
class ReadingLevel:
    ease: float  # Flesch reading ease: 0 (very hard) to 100 (very easy)
    grade: float  # Flesch-Kincaid grade: the US school year the text asks for
    words: int

    # As shown to the editor, and judged: rounded to whole numbers.
    @property
    def reading_ease(self) -> int:
        return int(self.ease + 0.5)

    @property
    def school_grade(self) -> int:
        return int(self.grade + 0.5)

    @property
    def band(self) -> str:
        return next(
            (name for low, name in EASE_BANDS if self.reading_ease >= low),
            "very difficult",
        )

    @property
    def on_target(self) -> bool:
        return self.reading_ease >= TARGET_EASE and self.school_grade <= TARGET_GRADE


@dataclass(frozen=True)
class ContentReport:
    """The checks of one body: its reading level (``None`` when too short to
    judge) and its problems, the reading level among them when off target."""

    reading_level: ReadingLevel | None
    findings: list[Finding]
    words: int
    target_ease: int = TARGET_EASE
    target_grade: int = TARGET_GRADE
    min_words: int = MIN_WORDS


@dataclass
class _Element:
    tag: str
    attrs: dict[str, str]
    children: list[_Element | str] = field(default_factory=list)

    def text(self) -> str:
        return "".join(
            child if isinstance(child, str) else child.text() for child in self.children
        )

    def descendants(self):
        for child in self.children:
            if isinstance(child, _Element):
                yield child
                yield from child.descendants()


class _TreeBuilder(HTMLParser):
    """A minimal element tree of the sanitiser's output, which is well formed."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = _Element("body", {})
        self._open = [self.root]

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        element = _Element(tag, {name: value or "" for name, value in attrs})
        self._open[-1].children.append(element)
        if tag not in VOID:
            self._open.append(element)

    def handle_startendtag(self, tag: str, attrs) -> None:
        self._open[-1].children.append(
            _Element(tag, {name: value or "" for name, value in attrs})
        )

    def handle_endtag(self, tag: str) -> None:
        for depth in range(len(self._open) - 1, 0, -1):
            if self._open[depth].tag == tag:
                del self._open[depth:]
                return

    def handle_data(self, data: str) -> None:
        self._open[-1].children.append(data)


def _squeeze(text: str) -> str:
    """Text as it shows: whitespace collapsed, invisible characters gone."""
    return _SPACES_RE.sub(" ", text.translate(_INVISIBLE))


def _quote(text: str, limit: int = 40, *, tail: bool = False) -> str:
    text = _squeeze(text).strip()
    if len(text) > limit:
        text = "…" + text[-limit:].lstrip() if tail else text[:limit].rstrip() + "…"
    return f"“{text}”"


def _shows_something(element: _Element) -> bool:
    """Whether a block shows anything: text, an image, or a link (checked apart)."""
    if _squeeze(element.text()).strip():
        return True
    return any(child.tag in {"img", "a"} for child in element.descendants())


def _prose(element: _Element, sentences: list[str]) -> list[str]:
    """The running text of paragraphs and list items, one sentence at least each.

    A heading, a table or a code block is not prose. A list item or paragraph
    without a full stop still ends a sentence, or it would run into the next one.
    """
    chunk: list[str] = []

    def end_sentence() -> None:
        text = _squeeze("".join(chunk)).strip()
        chunk.clear()
        if text:
            sentences.append(text if _SENTENCE_END_RE.search(text) else text + ".")

    for child in element.children:
        if isinstance(child, str):
            chunk.append(child)
        elif child.tag in NOT_PROSE or child.tag in BLOCKS:
            end_sentence()
            if child.tag in BLOCKS:
                _prose(child, sentences)
        else:
            chunk.append(child.text())
    end_sentence()
    return sentences


class _Checker:
    """Walks the tree once, in reading order, collecting findings."""

    def __init__(self) -> None:
        self.findings: list[Finding] = []
        self._level = 1  # the article's title is the page's only h1
        self._recent = ""  # the end of the text read so far, to say where things are

    def where(self) -> str:
        if not _squeeze(self._recent).strip():
            return "at the start of the body"
        return f"after {_quote(self._recent, tail=True)}"

    def walk(self, element: _Element) -> None:
        for child in element.children:
            if isinstance(child, str):
                self._recent = (self._recent + child)[-200:]
            else:
                self.visit(child)

    def visit(self, element: _Element) -> None:
        tag = element.tag
        if tag in HEADINGS:
            self.heading(element, HEADINGS[tag])
        if tag in EMPTY_BLOCKS and not _shows_something(element):
            name, cause = EMPTY_BLOCKS[tag]
            self.findings.append(
                Finding(
                    "empty",
                    f"An empty {name} {self.where()} shows nothing on the page. "
                    f"{cause} Write its text or remove it.",
                )
            )
            return
        if tag == "img":
            self.image(element)
        elif tag == "a":
            self.link(element)
        self.walk(element)

    def heading(self, element: _Element, level: int) -> None:
        if level > self._level + 1:
            after = (
                "the article's title"
                if self._level == 1
                else f"a level-{self._level} heading ({'#' * self._level})"
            )
            self.findings.append(
                Finding(
                    "heading-skip",
                    f"The heading {_quote(element.text())} skips a level: it is "
                    f"level {level} ({'#' * level}) right after {after}. Make it "
                    f"{'#' * (self._level + 1)} (level {self._level + 1}), or add a "
                    f"level-{self._level + 1} heading above it.",
                )
            )
        self._level = level

    def image(self, element: _Element) -> None:
        if element.attrs.get("alt", "").strip():
            return
        src = element.attrs.get("src", "")
        image = f"The image {_quote(basename(src) or src)}" if src else "An image"
        self.findings.append(
            Finding(
                "image-alt",
                f"{image} {self.where()} has no alt text, so readers "
                f"who cannot see it do not know what it shows. Describe it between "
                f"the brackets: ![what the image shows]({src}).",
            )
        )

    def link(self, element: _Element) -> None:
        if _squeeze(element.text()).strip():
            return
        if any(
            child.tag == "img" and child.attrs.get("alt", "").strip()
            for child in element.descendants()
        ):
            return
        href = element.attrs.get("href", "")
        target = f"to {_quote(href, 60)} " if href else ""
        self.findings.append(
            Finding(
                "link-text",
                f"A link {target}{self.where()} has no text, so readers cannot see or "
                f"hear where it leads. Write what it leads to between the brackets: "
                f"[text]({href or 'address'}).",
            )
        )


def reading_level(text: str) -> ReadingLevel | None:
    """Flesch reading ease and Flesch-Kincaid grade of plain text, if long enough."""
    words = textstat.lexicon_count(text)
    if words < MIN_WORDS:
        return None
    # Both formulas run past their scales on very easy or very hard text.
    return ReadingLevel(
        ease=min(max(textstat.flesch_reading_ease(text), 0.0), 100.0),
        grade=max(textstat.flesch_kincaid_grade(text), 0.0),
        words=words,
    )


def check_content(html: str) -> ContentReport:
    """Check a rendered, sanitised body; its findings are in reading order."""
    builder = _TreeBuilder()
    builder.feed(html)
    builder.close()
    checker = _Checker()
    checker.walk(builder.root)
    findings = checker.findings
    if not _shows_something(builder.root):
        # One problem, not one per empty block it is made of.
        findings = [finding for finding in findings if finding.check != "empty"]
        findings.insert(
            0,
            Finding(
                "empty",
                "The body shows nothing: once rendered, it has no text or image. "
                "Write the article's text.",
            ),
        )
    prose = " ".join(_prose(builder.root, []))
    level = reading_level(prose)
    if level and not level.on_target:
        findings.insert(
            0,
            Finding(
                "reading-level",
                "The text is harder to read than patient information should be: "
                f"reading ease {level.reading_ease} (aim for {TARGET_EASE} or more) "
                f"and grade {level.school_grade} (aim for {TARGET_GRADE} or lower). "
                f"Shorter sentences and everyday words make it easier.",
            ),
        )
    return ContentReport(
        reading_level=level, findings=findings, words=textstat.lexicon_count(prose)
    )
