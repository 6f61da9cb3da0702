"""A reader's query: synonyms put in, typos corrected, zero results logged.

``search`` is the one entry point. It runs a fixed number of SQL queries whatever
the query, and asks the backend (``search.backends``) for the ranked hits.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import F
from django.utils import timezone

from search import index
from search.backends import Hit, get_backend, matching
from search.backends.base import PER_PAGE
from search.models import SearchQueryLog, SearchTerm, Synonym
from search.text import content_words, levenshtein, words

MAX_QUERY_LENGTH = 200
MAX_EXPANSIONS = 6
MIN_CORRECTABLE_LENGTH = 3


@dataclass(frozen=True)
class SynonymGroup:
    """Phrases that mean the same, each as its words, and who says so: the
    source's quote, or nobody (an editorial synonym)."""

    phrases: list[list[str]]
    source_title: str = ""
    source_url: str = ""


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

    @property
    def count(self) -> int:
        return matching(self.counts, self.kind)

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def has_next(self) -> bool:
        return self.page * PER_PAGE < self.count


def best_correction(token: str, candidates: list[str]) -> str:
    allowed = 1 if len(token) <= 4 else 2
    scored = [
        (levenshtein(token, word), abs(len(word) - len(token)), word)
        for word in candidates
    ]
    scored = [item for item in scored if item[0] <= allowed]
    return min(scored)[2] if scored else ""


def synonym_phrases() -> list[SynonymGroup]:
    """Every synonym group, each term as its list of words, with its source where
    a published source states it."""
    groups = []
    for synonym in Synonym.objects.select_related("stated_in__article"):
        phrases = [content_words(term) or words(term) for term in synonym.term_list]
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
    return groups


def expand_synonyms(
    tokens: list[str], groups: list[SynonymGroup]
) -> tuple[list[list[str]], list[SynonymUse]]:
    """The query with each matching synonym put in, and which synonyms matched."""
    alternatives, used = [tokens], []
    for group in groups:
        phrases = group.phrases
        for phrase in phrases:
            if not phrase or not _contains(tokens, phrase):
                continue
            for other in phrases:
                if other != phrase and len(alternatives) < MAX_EXPANSIONS:
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
    """Search what readers may see. A fixed number of SQL queries per path."""
    results = SearchResults(query=query, kind=kind, page=page)
    tokens = content_words(query) or words(query)
    if not tokens:
        return results
    backend = get_backend()
    groups = synonym_phrases()
    alternatives, results.synonyms = expand_synonyms(tokens, groups)

    known = set(
        SearchTerm.objects.filter(word__in=set(tokens)).values_list("word", flat=True)
    )
    unknown = [t for t in tokens if t not in known and len(t) >= MIN_CORRECTABLE_LENGTH]
    corrections = {}
    if unknown:
        found = backend.candidates(unknown)
        corrections = {
            t: fix for t in unknown if (fix := best_correction(t, found.get(t, [])))
        }
    corrected_tokens = [corrections.get(t, t) for t in tokens]

    offset = (page - 1) * PER_PAGE
    results.hits, results.counts = backend.search(
        alternatives, any_word=False, kind=kind, offset=offset
    )
    if not results.total and corrections:
        corrected_alternatives, synonyms = expand_synonyms(corrected_tokens, groups)
        results.hits, results.counts = backend.search(
            corrected_alternatives, any_word=False, kind=kind, offset=offset
        )
        if results.total:
            results.corrected = " ".join(corrected_tokens)
            results.synonyms = synonyms
            alternatives = corrected_alternatives
    elif corrections:
        results.suggestion = " ".join(corrected_tokens)
    if not results.total and len(tokens) > 1:
        results.hits, results.counts = backend.search(
            alternatives, any_word=True, kind=kind, offset=offset
        )
        results.any_word = bool(results.total)
    labels = {k.value: k.label for k in index.kinds()}
    for hit in results.hits:
        hit.kind_label = labels.get(hit.kind, hit.kind)
    if not results.total:
        log_zero_result(query)
    return results


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
