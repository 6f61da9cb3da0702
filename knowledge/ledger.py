"""What each source document says, sentence by sentence, against what we hold of it.

The knowledge base is curated sentence by sentence: every sentence of a document's
prose and every cell of its tables is either quoted by evidence or left out on
purpose, with the reason (``[[left_out]]`` in fixtures/curation.toml). A word of a
document that neither covers fails the build, so a sentence cannot be overlooked.

Headings, table header rows, a title given as the first line and the lines the
article leaves out (page furniture) are structure, not statements.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from knowledge.documents import is_separator
from knowledge.passages import SENTENCE_END, PassageNotFound, locate

WORD = re.compile(r"\w+")
LIST_MARKER = re.compile(r"^\s*(?:[-*•]\s+)")
CELL = re.compile(r"[^|]+")
# A sentence that opens by pointing back means nothing quoted alone.
POINTS_BACK = re.compile(
    r"(?:however,\s*)?(?:this|these|it|they|its|their|both of these|such)\b",
    re.IGNORECASE,
)

HELD = "held"  # every word quoted by evidence
PART = "partly held"  # quoted in part; the rest left out on purpose
LEFT_OUT = "left out"  # not quoted; left out on purpose


@dataclass(frozen=True)
class Unit:
    """A sentence of prose or a table cell: where it stands, and its text."""

    start: int
    end: int
    text: str


@dataclass
class Reckoning:
    """One document's units and what became of each."""

    document: str
    held: list[Unit] = field(default_factory=list)
    partly: list[Unit] = field(default_factory=list)
    left_out: list[tuple[Unit, str, bool]] = field(default_factory=list)
    missing: list[Unit] = field(default_factory=list)

    @property
    def claims(self) -> int:
        """Units that state something: all but those left out as no claim."""
        return (
            len(self.held)
            + len(self.partly)
            + sum(1 for _, _, claim in self.left_out if claim)
        )


def units(text: str, *, skip: Iterable[str]) -> list[Unit]:
    """The document's sentences and table cells, with their offsets.

    ``skip`` are whole lines that are structure (headings, a title line, page
    furniture). A table's header row (the line above its ``|---|`` separator) is
    skipped too.
    """
    skipped = {line.strip() for line in skip}
    lines = text.splitlines(keepends=True)
    found: list[Unit] = []
    offset = 0
    for number, line in enumerate(lines):
        here, offset = offset, offset + len(line)
        stripped = line.strip()
        following = lines[number + 1] if number + 1 < len(lines) else ""
        if (
            not stripped
            or stripped in skipped
            or is_separator(stripped)
            or ("|" in line and is_separator(following.strip()))
        ):
            continue
        if "|" in line:
            pieces = [(m.start(), m.group()) for m in CELL.finditer(line)]
        else:
            marker = LIST_MARKER.match(line)
            skip_marker = marker.end() if marker else 0
            pieces = []
            position = skip_marker
            for end in SENTENCE_END.finditer(line, skip_marker):
                pieces.append((position, line[position : end.start()]))
                position = end.end()
            pieces.append((position, line[position:]))
        for start, piece in pieces:
            if not piece.strip():
                continue
            lead = len(piece) - len(piece.lstrip())
            body = piece.strip()
            found.append(
                Unit(here + start + lead, here + start + lead + len(body), body)
            )
    return found


def _covered(spans: list[tuple[int, int]], start: int, end: int) -> bool:
    return any(a <= start and end <= b for a, b in spans)


def reckon(
    document: str,
    text: str,
    *,
    skip: Iterable[str],
    quoted: list[tuple[int, int]],
    left_out: list[tuple[int, int, str, bool]],
) -> Reckoning:
    """Each unit of the document: held, partly held, left out, or missing."""
    result = Reckoning(document)
    left_spans = [(a, b) for a, b, _, _ in left_out]
    for unit in units(text, skip=skip):
        words = [
            (unit.start + m.start(), unit.start + m.end())
            for m in WORD.finditer(unit.text)
        ]
        if not words:
            continue
        by_quote = [_covered(quoted, a, b) for a, b in words]
        by_choice = [_covered(left_spans, a, b) for a, b in words]
        if all(by_quote):
            result.held.append(unit)
        elif not all(q or c for q, c in zip(by_quote, by_choice, strict=True)):
            result.missing.append(unit)
        elif any(by_quote):
            result.partly.append(unit)
        else:
            reason, claim = next(
                (reason, claim)
                for a, b, reason, claim in left_out
                if a <= words[0][0] < b
            )
            result.left_out.append((unit, reason, claim))
    return result


def report(reckonings: list[Reckoning]) -> str:
    """The ledger as text: counts per document, then what was left out and why."""
    lines = []
    for r in reckonings:
        claims_left = sum(1 for *_, claim in r.left_out if claim)
        no_claim = sum(1 for *_, claim in r.left_out if not claim)
        lines.append(
            f"{r.document}: {_count(r.claims, 'claim')} (a sentence or table cell "
            f"each); {len(r.held)} quoted whole, {len(r.partly)} in part, "
            f"{claims_left} left out; {_count(no_claim, 'sentence')} with no claim"
        )
        for unit, reason, claim in r.left_out:
            kind = "claim" if claim else "no claim"
            lines.append(f"  - left out ({kind}): “{unit.text}” — {reason}")
    return "\n".join(lines)


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" + ("" if number == 1 else "s")


def whole_sentences(text: str, start: int, end: int) -> str | None:
    """None if ``text[start:end]`` is whole sentences (or cells); else the whole
    sentences that hold it, to offer instead."""
    found = units(text, skip=())
    if any(u.start == start for u in found) and any(u.end == end for u in found):
        return None
    around = [u for u in found if u.end > start and u.start < end]
    if not around:
        return None  # not in a sentence at all (a heading): nothing to widen
    return text[around[0].start : around[-1].end]


class Unaccounted(ValueError):
    """A document's sentence is neither quoted nor left out, or a quote is not
    whole sentences."""


def account(
    document: str,
    text: str,
    *,
    skip: Iterable[str],
    quotes: list[dict],
    left_out: list[dict],
) -> Reckoning:
    """Check a document's quotes and account for each of its sentences.

    ``quotes`` are evidence rows (``passage``, ``start``, ``end``); ``left_out``
    the curated file's entries (``passage``, ``reason``, ``claim``). Quotes must be
    whole sentences (or cells), none opening by pointing back to words it leaves
    out; every sentence must be quoted or left out. Raises ``Unaccounted``.
    """
    skip = list(skip)
    found = units(text, skip=skip)
    starts, ends = {u.start for u in found}, {u.end for u in found}
    for row in quotes:
        if row["start"] not in starts or row["end"] not in ends:
            raise Unaccounted(
                f"{document}: quote whole sentences, not {row['passage'][:70]!r}: "
                "put the words that matter in `value`."
            )
        if POINTS_BACK.match(row["passage"]):
            raise Unaccounted(
                f"{document}: {row['passage'][:70]!r} points back to what it "
                "leaves out: quote the sentence before it too."
            )
    chosen = []
    for item in left_out:
        try:
            start, end = locate(text, item["passage"])
        except PassageNotFound as error:
            raise Unaccounted(
                f"{document}: left out {item['passage'][:60]!r}: {error}"
            ) from None
        chosen.append((start, end, item["reason"], item.get("claim", True)))
    reckoning = reckon(
        document,
        text,
        skip=skip,
        quoted=[(row["start"], row["end"]) for row in quotes],
        left_out=chosen,
    )
    if reckoning.missing:
        listed = "\n".join(f"  “{unit.text}”" for unit in reckoning.missing)
        raise Unaccounted(
            f"{document}: these sentences are neither quoted nor left out with a "
            f"reason ([[left_out]]):\n{listed}"
        )
    return reckoning
