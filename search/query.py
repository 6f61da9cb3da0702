"""A reader's query: synonyms put in, typos corrected, zero results logged.

``search`` is the one entry point. It runs a fixed number of SQL queries whatever
the query, and asks the backend (``search.backends``) for the ranked hits.

Question and complaint words are not searched for (``search.text``); words that ask
for a kind of page choose which kinds come first (``search.terms.INTENTS``). A
known medical term (``search.terms.KNOWN_TERMS``) is never corrected, and when the
sources do not cover it the results say so instead of showing pages that merely
share some of the reader's words.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.text import get_text_list

from search import index, terms
from search.backends import Hit, get_backend, matching
from search.backends.base import COUNT_LIMIT, PER_PAGE
from search.models import SearchQueryLog, SearchTerm, Synonym
from search.text import (
    STOPWORDS,
    acronyms,
    content_words,
    edit_distance,
    word_forms,
    words,
)

MAX_QUERY_LENGTH = 200
MAX_EXPANSIONS = 6
# Shorter words are not corrected: most of them are real words or abbreviations
# one edit from another word of the index ("als", "also"; "eat", "meat"; "tired",
# "tied"), and the typos that matter are in the long words (magnesium, deficiency).
MIN_CORRECTABLE_LENGTH = 6
# Longer words may be two edits from what the reader meant.
ONE_EDIT_UP_TO = 7


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases that mean the same, each as its words, and who says so: the
    source's quote, or nobody (an editorial synonym)."""

    phrases: list[list[str]]
    source_title: str = ""
    source_url: str = ""
    # Only the first phrase is replaced by the others: an abbreviation is searched
    # as its full names, but a full name is not searched as its abbreviation.
    one_way: bool = False


@dataclass(frozen=True)
class SynonymUse:
    """A synonym put into the reader's query: ``other`` searched for ``matched``."""

    matched: str
    other: str
    source_title: str = ""  # empty: the synonym is ours (editorial)
    source_url: str = ""


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    kind: str = ""
    page: int = 1
    synonyms: list[SynonymUse] = field(default_factory=list)
    corrected: str = ""  # the query whose results are shown instead of the reader's
    suggestion: str = ""  # a spelling the reader may have meant
    any_word: bool = False  # no page has every word: pages with some are shown
    # Known terms the query names that the sources do not cover: no page is shown.
    not_covered: list[str] = field(default_factory=list)
    searched: bool = False  # the query had words to search for

    @property
    def not_covered_text(self) -> str:
        """The names, for a sentence: "ALS", or "ALS or Parkinson's disease"."""
        return str(get_text_list(self.not_covered, "or"))

    @property
    def count(self) -> int:
        return matching(self.counts, self.kind)

    @property
    def capped(self) -> bool:
        """Whether more pages match than were counted: then each count is of the
        first ``COUNT_LIMIT`` matches, and says how many there are at least."""
        return max(self.total, self.count) > COUNT_LIMIT

    @property
    def count_text(self) -> str:
        return counted(self.count, capped=self.capped)

    @property
    def total_text(self) -> str:
        return counted(self.total, capped=self.capped)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.count


def counted(number: int, *, capped: bool) -> str:
    """A count as the page shows it: "1,000+" past the counting limit, and "at
    least" ("998+") for a count of the first matches only."""
    if capped:
        return f"{min(number, COUNT_LIMIT):,}+"
    return f"{number:,}"


def best_correction(token: str, candidates: list[str]) -> str:
    """The indexed word the reader most likely meant, or "".

    A correction keeps the first letter: readers seldom mistype it, and the words
    one edit away with another first letter are other words ("bells", "cells").
    Nor is a word corrected into one that search ignores ("also").
    """
    allowed = 1 if len(token) <= ONE_EDIT_UP_TO else 2
    scored = [
        (edit_distance(token, word), abs(len(word) - len(token)), word)
        for word in candidates
        if word[:1] == token[:1] and word not in STOPWORDS
    ]
    scored = [item for item in scored if item[0] <= allowed]
    return min(scored)[2] if scored else ""


def correctable(token: str, *, vocabulary: set[str], written: set[str]) -> bool:
    """Whether a word may be a typo: not an indexed word or its plural, not a known
    medical term, not a word that asks for a kind of page, and not an abbreviation
    (written in capitals, with a digit, or short)."""
    return (
        len(token) >= MIN_CORRECTABLE_LENGTH
        and token.isalpha()
        and token not in written
        and word_forms(token).isdisjoint(vocabulary)
        and not terms.is_known_word(token)
        and token not in terms.INTENT_WORDS
    )


def synonym_phrases() -> list[SynonymGroup]:
    """Every synonym group, each term as its list of words, with its source where
    a published source states it; then the known terms' abbreviations (ours)."""
    groups = []
    for synonym in Synonym.objects.select_related("stated_in__article"):
        # A term with no letter or digit ("---") has no words: it contributes
        # nothing, and a group left with one term has nothing to put in.
        phrases = [
            phrase
            for term in synonym.term_list
            if (phrase := content_words(term) or words(term))
        ]
        if len(phrases) < 2:
            continue
        quote = synonym.stated_in
        if (
            quote is not None
            and quote.article.published_at
            and (
                quote.article.published_at <= timezone.now()
                and quote.article.live_title
            )
        ):
            groups.append(
                SynonymGroup(phrases, quote.article.live_title, quote.get_passage_url())
            )
        else:
            groups.append(SynonymGroup(phrases))
    return groups + abbreviation_groups()


def abbreviation_groups() -> list[SynonymGroup]:
    """Each known term's abbreviations, to be searched as its full names."""
    groups = []
    for term in terms.KNOWN_TERMS:
        full_names = [content_words(phrase) or words(phrase) for phrase in term.phrases]
        for abbreviation in term.abbreviations:
            groups.append(
                SynonymGroup([words(abbreviation), *full_names], one_way=True)
            )
    return groups


def expand_synonyms(
    tokens: list[str], groups: list[SynonymGroup]
) -> tuple[list[list[str]], list[SynonymUse]]:
    """The query with each matching synonym put in, and which synonyms matched."""
    alternatives, used = [tokens], []
    for group in groups:
        phrases = group.phrases
        for phrase in phrases[:1] if group.one_way else phrases:
            if not phrase or not _contains(tokens, phrase):
                continue
            for other in phrases:
                if other and other != phrase and len(alternatives) < MAX_EXPANSIONS:
                    alternatives.append(_replace(tokens, phrase, other))
                    used.append(
                        SynonymUse(
                            " ".join(phrase),
                            " ".join(other),
                            group.source_title,
                            group.source_url,
                        )
                    )
            break
    return alternatives, used


def _contains(tokens: list[str], phrase: list[str]) -> bool:
    n = len(phrase)
    return any(tokens[i : i + n] == phrase for i in range(len(tokens) - n + 1))


def _replace(tokens: list[str], phrase: list[str], other: list[str]) -> list[str]:
    n = len(phrase)
    for i in range(len(tokens) - n + 1):
        if tokens[i : i + n] == phrase:
            return tokens[:i] + other + tokens[i + n :]
    return tokens


def search(query: str, *, kind: str = "", page: int = 1) -> SearchResults:
    """Search what readers may see. A fixed number of SQL queries per path.

    The results of a search are kept until the content changes, through the
    callable ``settings.SEARCH_CACHE`` names (the content apps build on search,
    which does not import them), called as ``cache(name, key, compute)``. A query
    that finds nothing is counted for the editors' report every time it is asked.
    """
    keep = keeper()
    results = keep("search", (query, kind, page), lambda: find(query, kind, page))
    if results.searched and not results.total:
        log_zero_result(query)
    return results


def keeper():
    """What keeps a value until the content changes (``settings.SEARCH_CACHE``),
    called as ``keep(name, key, compute)``; without one, it computes each time."""
    if path := getattr(settings, "SEARCH_CACHE", ""):
        return import_string(path)
    return lambda name, key, compute: compute()


def find(query: str, kind: str, page: int) -> SearchResults:
    results = SearchResults(query=query, kind=kind, page=page)
    reading = terms.read_query(query)
    tokens = reading.tokens
    if not tokens:
        return results
    results.searched = True
    backend = get_backend()
    # Read once per content version: 7 of a search's 29 ms of CPU.
    groups = keeper()("synonym-groups", None, synonym_phrases)
    alternatives, results.synonyms = expand_synonyms(tokens, groups)
    named = terms.named_terms(tokens)

    vocabulary = indexed_words(tokens, named)
    written = acronyms(query)
    unknown = [
        t for t in tokens if correctable(t, vocabulary=vocabulary, written=written)
    ]
    corrections = {}
    if unknown:
        found = backend.candidates(unknown)
        corrections = {
            t: fix for t in unknown if (fix := best_correction(t, found.get(t, [])))
        }
    corrected_tokens = [corrections.get(t, t) for t in tokens]

    offset = (page - 1) * PER_PAGE
    options = {"kind": kind, "offset": offset, "prefer": reading.prefer}
    results.hits, results.counts = backend.search(
        alternatives, any_word=False, **options
    )
    if not results.total:
        results.not_covered = [
            term.name for term in named if not _covered(term, vocabulary)
        ]
    if results.not_covered:
        # Pages that share the reader's other words would read as answers about
        # a condition the sources never mention.
        results.synonyms = []
    elif not results.total and corrections:
        corrected_alternatives, synonyms = expand_synonyms(corrected_tokens, groups)
        results.hits, results.counts = backend.search(
            corrected_alternatives, any_word=False, **options
        )
        if results.total:
            results.corrected = " ".join(corrected_tokens)
            results.synonyms = synonyms
            alternatives = corrected_alternatives
    elif corrections:
        results.suggestion = " ".join(corrected_tokens)
    if not results.total and not results.not_covered and len(tokens) > 1:
        results.hits, results.counts = backend.search(
            alternatives, any_word=True, **options
        )
        results.any_word = bool(results.total)
    labels = {k.value: k.label for k in index.kinds()}
    for hit in results.hits:
        hit.kind_label = labels.get(hit.kind, hit.kind)
    if results.capped:
        # Counted among the first matches, a kind the best candidates hold may
        # not have been counted: each kind shown on the page counts at least as
        # many as it shows.
        for kind, shown in Counter(hit.kind for hit in results.hits).items():
            results.counts[kind] = max(results.counts.get(kind, 0), shown)
    return results


def indexed_words(tokens: list[str], named: list[terms.KnownTerm]) -> set[str]:
    """Which words the index has, in one query: of the reader's words and the
    singulars they may be plurals of, and of the named terms' words and plurals."""
    asked = {form for token in tokens for form in word_forms(token)}
    for term in named:
        asked |= {word for form in term.forms for w in form for word in _spellings(w)}
    return set(SearchTerm.objects.filter(word__in=asked).values_list("word", flat=True))


def _covered(term: terms.KnownTerm, vocabulary: set[str]) -> bool:
    """Whether the index has every word of one of the term's names (or plurals)."""
    return any(
        all(not _spellings(word).isdisjoint(vocabulary) for word in form)
        for form in term.forms
    )


def _spellings(word: str) -> set[str]:
    return word_forms(word) | {word + "s"}


def log_zero_result(query: str) -> None:
    """Count a query that found nothing, for the editors' report. Text only."""
    text = " ".join(query.split()).lower()[:MAX_QUERY_LENGTH]
    today = timezone.localdate()
    updated = SearchQueryLog.objects.filter(query=text, date=today).update(
        count=F("count") + 1
    )
    if not updated:
        # A concurrent first search of the same text may win the insert; then this
        # one is not counted, which a report of frequent queries can live with.
        SearchQueryLog.objects.bulk_create(
            [SearchQueryLog(query=text, date=today)], ignore_conflicts=True
        )
