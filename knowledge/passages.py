"""Passages: where a quote stands in its source document, and where it shows.

Every quote is a slice of its document's text, ``text[start:end]``. An editor types
or pastes a passage; ``locate`` finds it, allowing one difference only: runs of
whitespace may differ (a line break for a space, two spaces for one). Anything
else is refused, with the closest sentence the document does contain.

On the article that reproduces a document, each quoted passage is wrapped in a
``<mark>`` whose id a quote links to, so that the passage is highlighted (by the
``:target`` rule of the stylesheet) without any script.
"""

from __future__ import annotations

import difflib
import html
import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
TAG = re.compile(r"(<[^>]*>)")
# Text less like the passage than this (difflib's ratio) is no help to show.
MIN_SIMILARITY = 0.6


class PassageNotFound(ValueError):
    """The passage does not occur in the document; ``closest`` is the nearest text."""

    def __init__(self, message: str, closest: str = "") -> None:
        super().__init__(message)
        self.closest = closest


def _pattern(passage: str) -> re.Pattern[str]:
    """The passage with any run of whitespace matching any other run."""
    return re.compile(r"\s+".join(re.escape(word) for word in passage.split()))


def locate(text: str, passage: str, *, near: int = 0) -> tuple[int, int]:
    """Where ``passage`` stands in ``text``: its first occurrence from ``near`` on.

    Whitespace may differ; nothing else. Raises ``PassageNotFound`` with the
    document's closest sentence otherwise.
    """
    if not passage.split():
        raise PassageNotFound("The passage is empty.")
    pattern = _pattern(passage)
    match = pattern.search(text, near) or pattern.search(text)
    if match is None:
        closest = closest_sentence(text, passage)
        message = "This passage does not occur in the document, word for word."
        if closest:
            message += f" The closest text it has is: “{closest}”"
        raise PassageNotFound(message, closest)
    return match.start(), match.end()


def occurrences(text: str, passage: str) -> list[tuple[int, int]]:
    """Every place the passage stands in the text."""
    return (
        [m.span() for m in _pattern(passage).finditer(text)] if passage.split() else []
    )


def sentences(text: str) -> list[str]:
    """The text's sentences, a table's cells counting as sentences of their own."""
    parts = []
    for line in text.splitlines():
        pieces = line.split("|") if "|" in line else [line]
        for piece in pieces:
            parts += [part.strip() for part in SENTENCE_END.split(piece)]
    return [part for part in parts if part and not set(part) <= set("-: ")]


def closest_sentence(text: str, passage: str) -> str:
    """The document's sentence (or run of sentences) most like the passage."""
    wanted = " ".join(passage.split()).lower()
    best, best_ratio = "", 0.0
    candidates = sentences(text)
    # Passages may span sentences: consider neighbouring pairs and triples too.
    spans = [
        " ".join(candidates[i : i + n])
        for n in (1, 2, 3)
        for i in range(len(candidates) - n + 1)
    ]
    for candidate in spans:
        matcher = difflib.SequenceMatcher(None, wanted, candidate.lower())
        if (
            matcher.real_quick_ratio() < best_ratio
            or matcher.quick_ratio() < best_ratio
        ):
            continue
        ratio = matcher.ratio()
        if ratio > best_ratio:
            best, best_ratio = candidate, ratio
    return best if best_ratio >= MIN_SIMILARITY else ""


def anchor(start: int, end: int) -> str:
    """The id of a passage's mark on its article: the same for the same slice."""
    return f"passage-{start}-{end}"


@dataclass(frozen=True)
class Marked:
    html: SafeString
    missing: list[str]  # anchors whose passage the article's text does not show


Point = tuple[int, int]  # (token, offset): in a text token, a character offset;
# in a tag token, 0 is before the tag and 1 after it.


def mark_passages(body_html: str, passages: Iterable[tuple[str, str, int]]) -> Marked:
    """Wrap each passage of an article's HTML in ``<mark id=anchor>``.

    ``passages`` are (anchor, text, nth) triples: the passage's text and which of
    its occurrences in the article it is (``nth_occurrence``). The HTML is the
    sanitiser's output, in which text never holds a raw ``<``: tags and text split
    cleanly. A passage may run across inline markup (a list item's bold label): the
    mark then takes in the whole element. Passages that contain one another nest;
    one that would cross another's edge, or that the text does not show, is left
    unmarked and reported.
    """
    tokens = TAG.split(body_html)  # text at even indexes, tags at odd ones
    texts = [
        html.unescape(token) if k % 2 == 0 else "" for k, token in enumerate(tokens)
    ]
    flat, owners = [], []
    for k in range(0, len(tokens), 2):
        flat.append(texts[k])
        owners.extend((k, offset) for offset in range(len(texts[k])))
    flat_text = "".join(flat)
    found, missing = [], []
    for anchor_id, passage, nth in dict.fromkeys(passages):
        matches = list(_pattern(passage).finditer(flat_text))
        if nth >= len(matches):
            missing.append(anchor_id)
            continue
        match = matches[nth]
        first, last = owners[match.start()], owners[match.end() - 1]
        span = _balanced(tokens, first, (last[0], last[1] + 1))
        if span is None:
            missing.append(anchor_id)
        else:
            found.append((*span, anchor_id))
    kept, crossing = _nested(found)
    return Marked(mark_safe(_render(tokens, texts, kept)), missing + crossing)


VOID_TAGS = frozenset({"br", "hr", "img"})


def _tag_name(tag: str) -> str:
    match = re.match(r"</?\s*([a-zA-Z0-9]+)", tag)
    return match.group(1).lower() if match else ""


def _balanced(
    tokens: list[str], start: Point, end: Point
) -> tuple[Point, Point] | None:
    """The span widened over whole elements so that its tags balance, or None."""
    for _ in range(8):
        stack, unmatched_close = [], False
        # Only the tags between the span's ends can be inside it (tags are at odd
        # indexes); looking at every tag made marking quadratic in the passages.
        first_tag = max(1, start[0] | 1)
        for k in range(first_tag, min(end[0] + 1, len(tokens)), 2):
            if not (start <= (k, 0) and (k, 1) <= end):
                continue
            name = _tag_name(tokens[k])
            if tokens[k].startswith("</"):
                if stack and stack[-1] == name:
                    stack.pop()
                else:
                    unmatched_close = True
            elif name not in VOID_TAGS and not tokens[k].endswith("/>"):
                stack.append(name)
        if not stack and not unmatched_close:
            return start, end
        widened = False
        # The span starts at the very beginning of an element that closes inside
        # it: take in the element's opening tag.
        if unmatched_close and (k := _tag_before(tokens, start)) is not None:
            if not tokens[k].startswith("</"):
                start, widened = (k, 0), True
        # An element opens inside the span and the span ends at the very end of its
        # text: take in its closing tag.
        if stack and (k := _tag_after(tokens, end)) is not None:
            if tokens[k].startswith("</"):
                end, widened = (k, 1), True
        if not widened:
            return None
    return None


def _tag_before(tokens: list[str], point: Point) -> int | None:
    """The tag right before a point, with no text between them."""
    k, offset = point
    if k % 2 == 0:  # in a text token: only from its very start
        return k - 1 if offset == 0 and k > 0 else None
    # before a tag: the text token before it must be empty
    return k - 2 if offset == 0 and k >= 2 and tokens[k - 1] == "" else None


def _tag_after(tokens: list[str], point: Point) -> int | None:
    """The tag right after a point, with no text between them."""
    k, offset = point
    if k % 2 == 0:
        full = len(html.unescape(tokens[k]))
        return k + 1 if offset == full and k + 1 < len(tokens) else None
    return (
        k + 2 if offset == 1 and k + 2 < len(tokens) and tokens[k + 1] == "" else None
    )


def _nested(
    found: list[tuple[Point, Point, str]],
) -> tuple[list[tuple[Point, Point, str]], list[str]]:
    """The spans that nest properly, and the anchors of those that would cross."""
    ordered = sorted(set(found), key=lambda span: (span[0], _reverse(span[1]), span[2]))
    kept, crossing, stack = [], [], []
    for start, end, anchor_id in ordered:
        while stack and stack[-1] <= start:
            stack.pop()
        if stack and end > stack[-1]:
            crossing.append(anchor_id)
            continue
        kept.append((start, end, anchor_id))
        stack.append(end)
    return kept, crossing


def _reverse(point: Point) -> tuple[int, int]:
    return (-point[0], -point[1])


def _render(tokens: list[str], texts: list[str], kept) -> str:
    opening: dict[Point, list[str]] = {}
    closing: dict[Point, list[str]] = {}
    for start, end, anchor_id in kept:  # outer spans first: they open first
        opening.setdefault(start, []).append(
            f'<mark class="passage" id="{html.escape(anchor_id)}">'
        )
        closing.setdefault(end, []).insert(0, "</mark>")  # inner spans close first

    def at(point: Point) -> str:
        return "".join(closing.get(point, [])) + "".join(opening.get(point, []))

    cuts_in: dict[int, set[int]] = {}  # each text token's offsets with a mark edge
    for k, offset in (*opening, *closing):
        cuts_in.setdefault(k, set()).add(offset)
    out = []
    for k, token in enumerate(tokens):
        if k % 2 == 1:
            out += [at((k, 0)), token, at((k, 1))]
            continue
        cuts = sorted(cuts_in.get(k, ()))
        if not cuts:
            out.append(token)
            continue
        text, position = texts[k], 0
        for offset in cuts:
            out += [html.escape(text[position:offset], quote=False), at((k, offset))]
            position = offset
        out.append(html.escape(text[position:], quote=False))
    return "".join(out)


def nth_occurrence(
    text: str, passage: str, start: int, *, left_out: Iterable[str] = ()
) -> int:
    """Which of the article's occurrences of ``passage`` the one at ``start`` is.

    Counting from 0, in the document's order. Occurrences on lines the article
    leaves out (its title, page furniture) do not count: the article does not
    show them.
    """
    left_out = {line.strip() for line in left_out}
    count = 0
    for match_start, _end in occurrences(text, passage):
        if match_start >= start:
            break
        line_start = text.rfind("\n", 0, match_start) + 1
        line_end = text.find("\n", match_start)
        line = text[line_start : line_end if line_end != -1 else len(text)]
        if line.strip() not in left_out:
            count += 1
    return count
