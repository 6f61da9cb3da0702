"""Words with a meaning of their own to search: the medical terms readers bring,
and the words with which they ask for a kind of page.

``KNOWN_TERMS`` are conditions and medical terms worried readers search for, some of
which the sources cover and some of which they do not. A known term is never
"corrected" into another word (ALS is not "also"); when the sources do not cover
it, the results page says so rather than show pages that merely share a word.

``INTENTS`` are words such as "foods" in "magnesium foods": they choose which
kinds of page come first, and are not themselves searched for.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from search.text import content_words, word_forms, words


@dataclass(frozen=True)
class KnownTerm:
    """A condition or medical term, named as in the middle of a sentence.

    ``phrases`` are its names, singular, with any apostrophe ("bells palsy" and
    "bell palsy" are found by "bell's palsy"). ``abbreviations`` are searched as
    the full names too: a source writes "multiple sclerosis" rather than "MS".
    """

    name: str
    phrases: tuple[str, ...]
    abbreviations: tuple[str, ...] = ()

    @property
    def forms(self) -> list[list[str]]:
        """Every way of writing it, each as the words a query is read into."""
        return [
            content_words(text) or words(text)
            for text in (*self.phrases, *self.abbreviations)
        ]


# Kept short on purpose: what worried readers fear a twitch means, and the other
# movements they call twitching. Each entry holds names of one condition only,
# never of a related one (seizures are not epilepsy), because an abbreviation is
# searched as its full names.
KNOWN_TERMS = (
    # Fasciculations are the best-known early sign of ALS: the fear behind many
    # searches for twitching.
    KnownTerm(
        "ALS (amyotrophic lateral sclerosis)",
        (
            "amyotrophic lateral sclerosis",
            "lou gehrig's disease",
            "motor neurone disease",
            "motor neuron disease",
        ),
        ("als", "mnd"),
    ),
    KnownTerm("multiple sclerosis (MS)", ("multiple sclerosis",), ("ms",)),
    KnownTerm("Parkinson's disease", ("parkinson's disease", "parkinson's")),
    # The name for harmless, lasting twitches that readers find on forums.
    KnownTerm(
        "benign fasciculation syndrome", ("benign fasciculation syndrome",), ("bfs",)
    ),
    # Facial conditions the sources name; their abbreviations and spellings are
    # not in the sources.
    KnownTerm("Bell's palsy", ("bell's palsy",)),
    KnownTerm("hemifacial spasm", ("hemifacial spasm",), ("hfs",)),
    # Movements other than a twitch, which readers call twitching.
    KnownTerm("tics", ("tic", "tic disorder")),
    KnownTerm("Tourette syndrome", ("tourette syndrome", "tourette's")),
    KnownTerm("dystonia", ("dystonia",)),
    KnownTerm("blepharospasm", ("blepharospasm",)),
    KnownTerm("myoclonus", ("myoclonus", "myoclonic jerk")),
    KnownTerm("hypnic jerks", ("hypnic jerk",)),
    KnownTerm(
        "restless legs syndrome",
        ("restless leg syndrome", "restless leg", "willis-ekbom disease"),
        ("rls",),
    ),
    KnownTerm("tremor", ("tremor",)),
    KnownTerm("epilepsy", ("epilepsy",)),
)


@cache
def known_words() -> frozenset[str]:
    """Every word of every known term: none is ever corrected."""
    return frozenset(
        word for term in KNOWN_TERMS for form in term.forms for word in form
    )


def is_known_word(token: str) -> bool:
    return not word_forms(token).isdisjoint(known_words())


def same_word(a: str, b: str) -> bool:
    """The same word, or one the plural of the other ("legs", "leg")."""
    return a in word_forms(b) or b in word_forms(a)


def occurs(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(
        all(
            same_word(token, word)
            for token, word in zip(tokens[i : i + n], phrase, strict=True)
        )
        for i in range(len(tokens) - n + 1)
    )


def named_terms(tokens: list[str]) -> list[KnownTerm]:
    """The known terms the query names, in the order of ``KNOWN_TERMS``."""
    return [term for term in KNOWN_TERMS if any(occurs(tokens, f) for f in term.forms)]


@dataclass(frozen=True)
class Intent:
    """Words with which a reader asks for a kind of page, and those kinds, best
    first. ``phrases`` are read before stopwords are dropped ("high in")."""

    words: frozenset[str]
    kinds: tuple[str, ...]
    phrases: tuple[tuple[str, ...], ...] = ()


INTENTS = (
    # "magnesium foods", "what to eat for twitching": the foods that provide a
    # nutrient first (their pages name what they provide), then the nutrients.
    Intent(
        words=frozenset("diet eat eating food foods meal meals rich".split()),
        kinds=("food", "nutrient"),
        phrases=(
            ("high", "in"),
            ("rich", "in"),
            ("food", "source"),
            ("food", "sources"),
            ("source", "of"),
            ("sources", "of"),
        ),
    ),
    # "does stress cause twitching", "what causes eyelid twitching": the causes
    # first. A cause's page does not always say "cause" where ranking looks.
    Intent(
        words=frozenset("cause caused causes causing".split()),
        kinds=("cause",),
    ),
)


INTENT_WORDS = frozenset(
    word
    for intent in INTENTS
    for word in (*intent.words, *(w for phrase in intent.phrases for w in phrase))
)


@dataclass(frozen=True)
class Reading:
    """A query read for searching: the words to match, and the kinds of page the
    reader asks for first."""

    tokens: list[str]
    prefer: tuple[str, ...] = ()


def read_query(query: str) -> Reading:
    """The query's content words, less the words that ask for a kind of page;
    those stay when nothing else is left ("foods")."""
    raw = words(query)
    prefer: list[str] = []
    asked: set[str] = set()
    for intent in INTENTS:
        found = False
        for phrase in intent.phrases:
            raw, removed = _remove(raw, list(phrase))
            found |= removed
        found |= not intent.words.isdisjoint(raw)
        if found:
            asked |= intent.words
            prefer += [kind for kind in intent.kinds if kind not in prefer]
    text = " ".join(raw)
    tokens = content_words(text) or words(text) or words(query)
    matched = [token for token in tokens if token not in asked]
    return Reading(matched or tokens, tuple(prefer))


def _remove(tokens: list[str], phrase: list[str]) -> tuple[list[str], bool]:
    """The tokens without any occurrence of the phrase, and whether there was one."""
    n, kept, i, removed = len(phrase), [], 0, False
    while i < len(tokens):
        if tokens[i : i + n] == phrase:
            i, removed = i + n, True
        else:
            kept.append(tokens[i])
            i += 1
    return kept, removed
