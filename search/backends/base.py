"""What every search backend offers, and what the backends share."""

from __future__ import annotations

import html
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.safestring import SafeString, mark_safe

PER_PAGE = 10
# Matches of each kind are counted up to this many; past it, the page says "more
# than". Counting all 58,545 matches of "magnesium deficiency" among 100,000
# articles was most of what that search cost.
COUNT_LIMIT = 1000
# How many of the matches are ranked, best candidates first: those with the words
# in their title, summary or opening, then the rest. The real site has far fewer
# matches than this, so every one of them is ranked.
CANDIDATES = 1000
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use: never in real text


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    snippet: SafeString
    kind_label: str = ""

    def as_json(self) -> dict:
        return {
            "title": self.title,
            "url": self.url,
            "type": self.kind,
            "snippet": str(self.snippet),
        }


def highlight(text: str) -> SafeString:
    """Escape a snippet, then turn the backend's match markers into <mark>."""
    escaped = html.escape(" ".join(text.split()))
    # Safe: escaped above; only our own tags are added.
    return mark_safe(escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>"))


def best_snippet(*snippets: str) -> str:
    """The first snippet with a highlighted match, else the first non-empty one."""
    for snippet in snippets:
        if MARK_START in snippet:
            return snippet
    return next((snippet for snippet in snippets if snippet), "")


def exact_titles(alternatives: list[list[str]]) -> list[str]:
    """Titles that equal the reader's own query: those pages come first.

    Only the reader's words (the first alternative), not a synonym put in: a page
    titled with a synonym ("Muscle twitches" for "fasciculations") is ranked by its
    content like any other, so the pages about the word typed are not pushed down.
    """
    return [" ".join(alternatives[0])] if alternatives else []


def matching(counts: dict[str, int], kind: str) -> int:
    """How many pages match: of one kind when a kind is chosen, else of every kind."""
    return counts.get(kind, 0) if kind else sum(counts.values())


class Backend:
    def search(
        self,
        alternatives: list[list[str]],
        *,
        any_word: bool,
        kind: str,
        offset: int,
        prefer: Sequence[str] = (),
    ) -> tuple[list[Hit], dict[str, int]]:
        """One page of hits, best first, and the number of hits of each kind.

        ``alternatives`` are equivalent queries as lists of words (the reader's, and
        the ones with synonyms put in); a document matches one if it has all its
        words, or any of them when ``any_word`` is set. A page titled with the
        reader's words comes first; then pages of the ``prefer`` kinds, in that
        order; then the rest, by rank.
        """
        raise NotImplementedError

    def candidates(self, tokens: list[str]) -> dict[str, list[str]]:
        """Indexed words that look like each token."""
        raise NotImplementedError

    def update_vectors(self, ids: list[int] | None) -> None:
        """Bring database-specific index structures up to date for these rows.

        ``None`` means every row.
        """
