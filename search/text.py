"""Words as search sees them: tokens, stopwords, acronyms and edit distance."""

from __future__ import annotations

import re

WORD_RE = re.compile(r"[^\W_]+")
# English function words: PostgreSQL's english configuration drops the same ones
# from a query, so leaving them out here makes SQLite match what PostgreSQL does.
# "d" is not one of them: it is the D of "vitamin D".
FUNCTION_WORDS = frozenset(
    "a about above after again against all also am an and any are as at be because "
    "been before being below between both but by can could did do does doing don "
    "down during each few for from further had has have having he her here hers "
    "herself him himself his how i if im in into is it its itself just me more "
    "most my myself no nor not now of off on once only or other our ours ourselves "
    "out over own s same she should so some such t than that the their theirs them "
    "themselves then there these they this those through to too under until up "
    "very was we were what when where which while who whom why will with would you "
    "your yours yourself yourselves".split()
)
# How worried readers put a question or a complaint ("why won't my eye stop
# twitching", "it keeps happening"): these words say nothing about the twitch, yet
# a page that happens to contain "stop" would otherwise outrank the pages about it.
QUESTION_WORDS = frozenset(
    "afraid anyone bad cant concerned constantly didn doesn dont feel feeling feels "
    "felt get gets getting going got happen happened happening happens help isn "
    "isnt keep keeping keeps kept might must normal please really scared still stop "
    "stopped stopping stops suddenly won wont worried worry".split()
)
STOPWORDS = FUNCTION_WORDS | QUESTION_WORDS


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def has_word(text: str) -> bool:
    """Whether the text has a letter or a digit: without one there is nothing in it
    to search for ("---")."""
    return WORD_RE.search(text) is not None


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS]


def acronyms(text: str) -> set[str]:
    """Words written in capitals ("ALS", "HFS"), lower-cased. Several words all in
    capitals are a query typed with caps lock on, not a row of acronyms."""
    written = WORD_RE.findall(text)
    if len(written) > 1 and text == text.upper():
        return set()
    return {word.lower() for word in written if len(word) > 1 and word.isupper()}


def word_forms(word: str) -> set[str]:
    """The word, and the singular it may be the plural of ("bells": "bell"): a
    plural of an indexed word is no typo, and the stemmers match it anyway."""
    forms = {word}
    if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        forms.add(word[:-1])
        if word.endswith("es"):
            forms.add(word[:-2])
        if word.endswith("ies"):
            forms.add(word[:-3] + "y")
    return forms


def edit_distance(a: str, b: str) -> int:
    """Edits from one word to the other: insert, delete, substitute, or swap two
    neighbours (optimal string alignment: "calcuim" is one edit from "calcium")."""
    rows = [list(range(len(b) + 1))]
    for i, char_a in enumerate(a, start=1):
        row = [i]
        for j, char_b in enumerate(b, start=1):
            cost = min(
                rows[-1][j] + 1,
                row[j - 1] + 1,
                rows[-1][j - 1] + (char_a != char_b),
            )
            if i > 1 and j > 1 and char_a == b[j - 2] and a[i - 2] == char_b:
                cost = min(cost, rows[-2][j - 2] + 1)
            row.append(cost)
        rows.append(row)
    return rows[-1][-1]
