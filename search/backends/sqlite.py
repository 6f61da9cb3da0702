"""Search on SQLite: FTS5 ranked with bm25 and highlighted with snippet()."""

from __future__ import annotations

from django.db import connection
from django.utils import timezone

from search.backends.base import (
    CANDIDATES,
    COUNT_LIMIT,
    MARK_END,
    MARK_START,
    PER_PAGE,
    Backend,
    Hit,
    best_snippet,
    exact_titles,
    highlight,
    matching,
)
from search.text import has_word

SQLITE_WEIGHTS = "10.0, 6.0, 4.0, 1.0"  # title, aliases, summary, body


def fts5_phrase(word: str) -> str:
    """The word as an FTS5 string: whatever it holds is text to match, never
    query syntax (an embedded double quote is doubled)."""
    return '"' + word.replace('"', '""') + '"'


def fts5_match(alternatives: list[list[str]], *, any_word: bool) -> str:
    """An FTS5 MATCH expression made only of quoted words: a document matches one
    alternative if it has all its words (any of them when ``any_word`` is set).

    A token with no letter or digit is left out, and so is an alternative left
    with no words: FTS5 reads an empty group "()" as a syntax error. Empty when
    nothing is left to search for.
    """
    joiner = " OR " if any_word else " AND "
    groups = []
    for tokens in alternatives:
        phrases = [fts5_phrase(token) for token in tokens if has_word(token)]
        if phrases:
            groups.append("(" + joiner.join(phrases) + ")")
    return " OR ".join(groups)


SCORE = f"bm25(knowledge_search_fts, {SQLITE_WEIGHTS}) AS score"


def best_candidates(where: str, params: list, match: str) -> tuple[str, list]:
    """A subquery of the matches to rank when there are more than are counted:
    the first CANDIDATES with the words in their title, aliases or summary (tier
    0), then the first CANDIDATES of all (tier 1), each once, with its score.

    bm25 is computed as each candidate is read, and reading stops at the limit:
    ranking all 46,350 matches of "magnesium deficiency" among 100,000 articles
    took 425 ms. A query that names the candidates' rowids beside MATCH would
    evaluate the MATCH once per rowid instead: 18 s.
    """
    head = "{title aliases summary} : (" + match + ")"
    part = (
        "SELECT * FROM (SELECT d.id AS id, d.title AS title, d.kind AS kind, "
        f"{SCORE}, %s AS tier {where} LIMIT %s)"
    )
    sql = (
        "SELECT id, title, kind, score, MIN(tier) AS tier "
        f"FROM ({part} UNION ALL {part}) GROUP BY id"
    )
    return sql, [0, head, *params[1:], CANDIDATES, 1, *params, CANDIDATES]


class SqliteBackend(Backend):
    def search(self, alternatives, *, any_word, kind, offset, prefer=()):
        match = fts5_match(alternatives, any_word=any_word)
        if not match:
            return [], {}
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        where = """
            FROM knowledge_search_fts AS fts
            JOIN knowledge_searchdocument AS d ON d.id = fts.rowid
            WHERE knowledge_search_fts MATCH %s AND d.published_at <= %s
        """
        with connection.cursor() as cursor:
            # Of each kind, how many of the first COUNT_LIMIT + 1 matches: exact
            # up to the limit, "at least" past it (see the PostgreSQL backend).
            cursor.execute(
                f"SELECT kind, COUNT(*) FROM (SELECT d.kind {where} LIMIT %s) "
                "GROUP BY kind",
                [match, now, COUNT_LIMIT + 1],
            )
            counts = dict(cursor.fetchall())
            if kind:
                cursor.execute(
                    f"SELECT COUNT(*) FROM (SELECT 1 {where} AND d.kind = %s LIMIT %s)",
                    [match, now, kind, COUNT_LIMIT + 1],
                )
                counts[kind] = cursor.fetchone()[0]
            if not matching(counts, kind):
                return [], counts
            params = [match, now]
            kind_sql = ""
            if kind:
                kind_sql, params = " AND d.kind = %s", [*params, kind]
            titles = exact_titles(alternatives)
            preferred = ""
            if prefer:
                whens = " ".join(f"WHEN %s THEN {n}" for n in range(len(prefer)))
                preferred = f"CASE kind {whens} ELSE {len(prefer)} END,"
            exact = f"lower(title) IN ({', '.join(['%s'] * len(titles))}) DESC"
            if matching(counts, kind) <= COUNT_LIMIT:
                # Every match is ranked.
                part = f"SELECT d.id AS id, d.title AS title, d.kind AS kind, {SCORE}"
                cursor.execute(
                    f"""
                    SELECT id FROM ({part} {where}{kind_sql})
                    ORDER BY {exact}, {preferred} score, title, id
                    LIMIT %s OFFSET %s
                    """,
                    [*params, *titles, *prefer, PER_PAGE, offset],
                )
            else:
                candidates, candidate_params = best_candidates(
                    where + kind_sql, params, match
                )
                cursor.execute(
                    f"""
                    SELECT id FROM ({candidates})
                    ORDER BY {exact}, {preferred} tier, score, title, id
                    LIMIT %s OFFSET %s
                    """,
                    [*candidate_params, *titles, *prefer, PER_PAGE, offset],
                )
            ranked = [row[0] for row in cursor.fetchall()]
            if not ranked:  # a page past the last
                return [], counts
            # Snippets only for the page shown: SQLite would otherwise make one
            # for every match before sorting them.
            cursor.execute(
                f"""
                SELECT d.id, d.title, d.url, d.kind,
                       snippet(knowledge_search_fts, 2, %s, %s, ' … ', 30),
                       snippet(knowledge_search_fts, 3, %s, %s, ' … ', 30)
                FROM knowledge_search_fts AS fts
                JOIN knowledge_searchdocument AS d ON d.id = fts.rowid
                WHERE knowledge_search_fts MATCH %s
                  AND fts.rowid IN ({", ".join(["%s"] * len(ranked))})
                """,
                [*[MARK_START, MARK_END] * 2, match, *ranked],
            )
            found = {row[0]: row[1:] for row in cursor.fetchall()}
            hits = [
                Hit(t, u, k, highlight(best_snippet(summary, body)))
                for t, u, k, summary, body in (found[pk] for pk in ranked)
            ]
        return hits, counts

    def candidates(self, tokens):
        parts, params = [], []
        for token in tokens:
            grams = {token[i : i + 3] for i in range(len(token) - 2)}
            parts.append(
                "SELECT * FROM (SELECT %s, word FROM knowledge_searchterm_trigram "
                "WHERE knowledge_searchterm_trigram MATCH %s ORDER BY rank LIMIT 30)"
            )
            params += [token, " OR ".join(fts5_phrase(g) for g in sorted(grams))]
        found: dict[str, list[str]] = {}
        with connection.cursor() as cursor:
            cursor.execute(" UNION ALL ".join(parts), params)
            for token, word in cursor.fetchall():
                found.setdefault(token, []).append(word)
        return found
