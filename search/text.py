"""Words as search sees them: tokens, stopwords and edit distance."""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W_]+")
STOPWORDS = frozenset(
    "a an and are as at be but by do does for from has have how i if in into is it "
    "its me my no not of on or so than that the their then there these this to was "
    "what when where which while who why will with after before can get my your you "
    "am im i'm".split()
)


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS]


def levenshtein(a: str, b: str) -> int:
    previous = list(range(len(b) + 1))
    for i, char_a in enumerate(a, start=1):
        current = [i]
        for j, char_b in enumerate(b, start=1):
            current.append(
                min(
                    previous[j] + 1,
                    current[j - 1] + 1,
                    previous[j - 1] + (char_a != char_b),
                )
            )
        previous = current
    return previous[-1]
