"""Search on PostgreSQL: a weighted tsvector, ts_rank and ts_headline; pg_trgm typos."""

from __future__ import annotations

from collections import Counter

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import Case, F, TextField, Value, When
from django.db.models.functions import Concat, Left, Lower

from search.backends.base import (
    CANDIDATES,
    COUNT_LIMIT,
    MARK_END,
    MARK_START,
    PER_PAGE,
    Backend,
    Hit,
    exact_titles,
    highlight,
    matching,
)
from search.models import SearchDocument, SearchTerm
from search.text import has_word

PG_CONFIG = "twitch"
# The GIN indexes on the full and the ranking vectors (knowledge migration 0003,
# search migration 0004).
GIN_INDEXES = (
    "knowledge_searchdocument_vector_gin",
    "knowledge_searchdocument_rank_vector_gin",
)
RANKED_BODY_CHARS = 600
# ts_headline parses all the text it is given, for each hit shown: snippets come
# from the summary and the start of the body (10 hits of whole synthetic articles
# took 14 ms of the database's time; SQLite's snippet() reads its index instead).
SNIPPET_BODY_CHARS = 3000


def _no_sequential_scans() -> None:
    # The planner does not cost reading TOASTed tsvectors, so for a common word it
    # prefers a sequential scan that reads every vector; the GIN index finds the
    # same rows without reading any. Measured: 40 ms against 2 ms. The penalty
    # that setting adds to costs would make the server compile the query (JIT):
    # 330 ms of a 470 ms search at 100,000 articles. JIT is off here too.
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL jit = off")


def tsquery(alternatives: list[list[str]], *, any_word: bool) -> SearchQuery | None:
    """A tsquery that matches a document with all the words of one alternative (any
    of them when ``any_word`` is set), or None when nothing is left to search for.

    Each part is a ``plainto_tsquery`` of words passed as a parameter: the words are
    text to match, never query syntax (``websearch_to_tsquery`` would read an "or"
    among them as an operator). A token with no letter or digit is left out, and so
    is an alternative left with no words.
    """
    kept = [[token for token in tokens if has_word(token)] for tokens in alternatives]
    if any_word:
        # Any word of any alternative: each word once.
        parts = list(dict.fromkeys(token for tokens in kept for token in tokens))
    else:
        parts = [" ".join(tokens) for tokens in kept if tokens]
    return either(
        [SearchQuery(part, config=PG_CONFIG, search_type="plain") for part in parts]
    )


def either(queries: list[SearchQuery]) -> SearchQuery | None:
    """The queries joined with OR, as a balanced tree: Django nests each ``|`` one
    level deeper, and hundreds of words in a row (a long query and its synonyms)
    would pass Python's recursion limit."""
    while len(queries) > 1:
        pairs = [queries[i : i + 2] for i in range(0, len(queries), 2)]
        queries = [pair[0] | pair[1] if len(pair) == 2 else pair[0] for pair in pairs]
    return queries[0] if queries else None


class PostgresBackend(Backend):
    @transaction.atomic
    def search(self, alternatives, *, any_word, kind, offset, prefer=()):
        query = tsquery(alternatives, any_word=any_word)
        if query is None:
            return [], {}
        _no_sequential_scans()
        visible = SearchDocument.objects.visible()
        matches = visible.filter(vector=query)
        # The best candidates to rank: the matches with the words in what ranks
        # them (title, aliases, summary, the body's opening), found through that
        # vector's own index; each has the words in the whole text too.
        best = visible.filter(rank_vector=query)
        if kind:
            best = best.filter(kind=kind)
        found = list(best.values_list("pk", "kind")[: CANDIDATES + 1])
        ids = [pk for pk, _kind in found[:CANDIDATES]]
        if len(found) > COUNT_LIMIT and not kind:
            # More pages match than are counted: of each kind, at least these.
            counts = dict(Counter(found_kind for _pk, found_kind in found))
        else:
            # The first matches, in one pass that stops at the limit: counted by
            # kind, and the other candidates where the best are too few.
            sample = list(matches.values_list("pk", "kind")[: COUNT_LIMIT + 1])
            counts = dict(Counter(sample_kind for _pk, sample_kind in sample))
            others = [pk for pk, _kind in sample]
            if kind and len(found) > COUNT_LIMIT:
                counts[kind], others = len(found), []
            elif kind:
                # The first matches may all be of other kinds: count this one's.
                first = matches.filter(kind=kind).values_list("pk", flat=True)
                others = list(first[: COUNT_LIMIT + 1])
                counts[kind] = len(others)
            chosen = set(ids)
            ids += [pk for pk in others if pk not in chosen][: CANDIDATES - len(ids)]
        if not matching(counts, kind):
            return [], counts
        matches = SearchDocument.objects.filter(pk__in=ids)
        # The reader's own words: the first alternative.
        own_words = tsquery(alternatives[:1], any_word=any_word) or query
        order = ["-exact", "-rank", "title", "pk"]
        if prefer:
            matches = matches.alias(
                preferred=Case(
                    *(When(kind=value, then=n) for n, value in enumerate(prefer)),
                    default=len(prefer),
                )
            )
            order.insert(1, "preferred")
        rows = (
            matches.alias(lower_title=Lower("title"))
            .annotate(
                exact=Case(
                    When(lower_title__in=exact_titles(alternatives), then=Value(1)),
                    default=Value(0),
                ),
                # The reader's own words count twice: a synonym widens what is
                # found, but the pages about the word typed come first.
                rank=SearchRank(F("rank_vector"), query)
                + SearchRank(F("rank_vector"), own_words),
                snippet=SearchHeadline(
                    Concat(
                        "summary",
                        Value(" … "),
                        Left("body", SNIPPET_BODY_CHARS),
                        output_field=TextField(),
                    ),
                    query,
                    config=PG_CONFIG,
                    start_sel=MARK_START,
                    stop_sel=MARK_END,
                    max_words=35,
                    min_words=15,
                    max_fragments=2,
                    fragment_delimiter=" … ",
                ),
            )
            .order_by(*order)
            .values_list("title", "url", "kind", "snippet")[offset : offset + PER_PAGE]
        )
        hits = [Hit(t, u, k, highlight(s)) for t, u, k, s in rows]
        return hits, counts

    @transaction.atomic
    def candidates(self, tokens):
        _no_sequential_scans()
        sql = f"""
            SELECT t.token, w.word
            FROM unnest(%s::text[]) AS t(token)
            CROSS JOIN LATERAL (
                SELECT word FROM {SearchTerm._meta.db_table}
                WHERE word %% t.token
                ORDER BY similarity(word, t.token) DESC, word
                LIMIT 10
            ) AS w
        """
        with connection.cursor() as cursor:
            cursor.execute(sql, [tokens])
            found: dict[str, list[str]] = {}
            for token, word in cursor.fetchall():
                found.setdefault(token, []).append(word)
        return found

    def update_vectors(self, ids):
        documents = SearchDocument.objects.all()
        if ids is not None:
            documents = documents.filter(pk__in=ids)
        head = (
            SearchVector("title", weight="A", config=PG_CONFIG)
            + SearchVector("aliases", weight="B", config=PG_CONFIG)
            + SearchVector("summary", weight="B", config=PG_CONFIG)
        )
        documents.update(
            vector=head + SearchVector("body", weight="C", config=PG_CONFIG),
            rank_vector=head
            + SearchVector(
                Left("body", RANKED_BODY_CHARS), weight="C", config=PG_CONFIG
            ),
        )
        if ids is None:
            # A GIN index takes new entries into a pending list, which every
            # search reads in full until a vacuum merges it: after a rebuild at
            # 100x, 17,000 entries made a count of matches take 19.5 ms instead
            # of 6.4. Merge them now, and give the planner statistics.
            table = SearchDocument._meta.db_table
            with connection.cursor() as cursor:
                for index in GIN_INDEXES:
                    cursor.execute(
                        "SELECT gin_clean_pending_list(%s::regclass)", [index]
                    )
                cursor.execute(f"ANALYZE {table}")
