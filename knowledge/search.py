"""Site search: ranked, synonym-aware and typo-tolerant, on PostgreSQL and SQLite.

The index is ``SearchDocument``: one row per page, written by ``index_object``.
Each database searches it its own way behind one small interface, ``Backend``:

- PostgreSQL: a weighted ``tsvector`` (title above aliases and summary above body),
  ``websearch_to_tsquery``, ``ts_rank`` and ``ts_headline``, with a text-search
  configuration that folds accents; typos are matched with ``pg_trgm``.
- SQLite: an FTS5 table (Porter stemming, accent folding) ranked with ``bm25`` and
  highlighted with ``snippet``; typos are matched through an FTS5 trigram table.

Everything else (synonyms, corrections, the zero-result log) is shared.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime

from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import Case, Count, F, Model, TextField, Value, When
from django.db.models.functions import Concat, Left, Lower
from django.db.models.signals import post_delete, post_save
from django.utils import timezone
from django.utils.html import strip_tags
from django.utils.safestring import SafeString, mark_safe

from knowledge.models import (
    Article,
    Cause,
    CauseBodyArea,
    CauseSymptom,
    Evidence,
    FoodSource,
    Nutrient,
    NutrientFood,
    SearchDocument,
    SearchQueryLog,
    SearchTerm,
    Synonym,
)

MAX_QUERY_LENGTH = 200
PER_PAGE = 10
# Entities have no publication date of their own: they are visible from the start.
ALWAYS = datetime(2000, 1, 1, tzinfo=UTC)
PG_CONFIG = "twitch"
RANKED_BODY_CHARS = 600
# ts_headline parses all the text it is given, for each hit shown: snippets come
# from the summary and the start of the body (10 hits of whole synthetic articles
# took 14 ms of the database's time; SQLite's snippet() reads its index instead).
SNIPPET_BODY_CHARS = 3000
SQLITE_WEIGHTS = "10.0, 6.0, 4.0, 1.0"  # title, aliases, summary, body
MARK_START, MARK_END = "\ue000", "\ue001"  # private-use: never in real text
WORD_RE = re.compile(r"[^\W_]+")
STOPWORDS = frozenset(
    "a an and are as at be but by do does for from has have how i if in into is it "
    "its me my no not of on or so than that the their then there these this to was "
    "what when where which while who why will with after before can get my your you "
    "am im i'm".split()
)
MAX_EXPANSIONS = 6
MIN_CORRECTABLE_LENGTH = 3


def words(text: str) -> list[str]:
    return WORD_RE.findall(text.lower())


def content_words(text: str) -> list[str]:
    return [word for word in words(text) if word not in STOPWORDS]


# -- indexing ------------------------------------------------------------------------


def _lines(*parts: str) -> str:
    return "\n".join(part for part in parts if part)


def _evidence_text(obj: Cause | Nutrient) -> str:
    published = Evidence.objects.filter(
        article__in=Article.objects.published(), **{type(obj).__name__.lower(): obj}
    )
    return _lines(*published.values_list("passage", flat=True))


def document_fields(obj: Model) -> dict | None:
    """What the index holds for an object, or None if it is not searchable."""
    if isinstance(obj, Article):  # readers find the live version only
        return {
            "kind": SearchDocument.Kind.ARTICLE,
            "title": obj.live_title,
            "summary": obj.live_summary,
            "body": html.unescape(strip_tags(obj.live_body_html)),
            "published_at": obj.published_at if obj.live_title else None,
        }
    if isinstance(obj, Cause):
        nutrient_terms = (
            [obj.nutrient.name, obj.nutrient.deficiency_term] if obj.nutrient else []
        )
        return {
            "kind": SearchDocument.Kind.CAUSE,
            "title": obj.name,
            "aliases": _lines(*obj.alias_list, *nutrient_terms),
            "summary": obj.mechanism,
            # What the sources say comes first: ranking on PostgreSQL reads the
            # opening of the body.
            "body": _lines(
                _evidence_text(obj),
                obj.recommended_action,
                obj.warning_signs,
                ", ".join(s.name for s in obj.symptoms.distinct()),
                ", ".join(a.name for a in obj.body_areas.distinct()),
            ),
        }
    if isinstance(obj, Nutrient):
        return {
            "kind": SearchDocument.Kind.NUTRIENT,
            "title": obj.name,
            "aliases": _lines(*obj.alias_list, obj.deficiency_term),
            "summary": obj.summary or obj.role,
            "body": _lines(
                obj.role,
                ", ".join(food.name for food in obj.foods.distinct()),
                _evidence_text(obj),
            ),
        }
    if isinstance(obj, FoodSource):
        nutrients = ", ".join(n.name for n in obj.nutrients.distinct())
        return {
            "kind": SearchDocument.Kind.FOOD,
            "title": obj.name,
            "aliases": obj.examples,
            "summary": f"{obj.get_category_display()}. Provides {nutrients}."
            if nutrients
            else obj.get_category_display(),
        }
    return None


def build_document(obj: Model) -> SearchDocument | None:
    """The index row for an object, unsaved, or None if it is not searchable."""
    fields = document_fields(obj)
    if fields is None:
        return None
    fields.setdefault("aliases", "")
    fields.setdefault("body", "")
    fields.setdefault("published_at", ALWAYS)
    return SearchDocument(object_id=obj.pk, url=obj.get_absolute_url(), **fields)


@transaction.atomic
def index_object(obj: Model) -> None:
    """Write (or rewrite) the index row for one object."""
    document = build_document(obj)
    if document is None:
        return
    values = {
        f.attname: getattr(document, f.attname)
        for f in SearchDocument._meta.concrete_fields
        if f.attname not in {"id", "kind", "object_id", "vector"}
    }
    document, _ = SearchDocument.objects.update_or_create(
        kind=document.kind, object_id=obj.pk, defaults=values
    )
    add_vocabulary([document])
    get_backend().update_vectors([document.pk])


def remove_object(obj: Model) -> None:
    fields = document_fields(obj)
    if fields:
        SearchDocument.objects.filter(kind=fields["kind"], object_id=obj.pk).delete()


def add_vocabulary(documents: list[SearchDocument]) -> None:
    vocabulary = set()
    for document in documents:
        text = " ".join((document.title, document.aliases, document.summary))
        vocabulary.update(words(f"{text} {document.body}"))
    SearchTerm.objects.bulk_create(
        [SearchTerm(word=word) for word in sorted(vocabulary) if len(word) <= 100],
        ignore_conflicts=True,
        batch_size=500,
    )


def rebuild_index(batch_size: int = 500) -> int:
    """Index every searchable object from scratch, in bulk; returns how many."""
    querysets = [
        Article.objects.all(),
        Cause.objects.select_related("nutrient"),
        Nutrient.objects.all(),
        FoodSource.objects.all(),
    ]
    count = 0
    with transaction.atomic():
        SearchDocument.objects.all().delete()
        for queryset in querysets:
            documents = [build_document(obj) for obj in queryset.iterator(batch_size)]
            created = SearchDocument.objects.bulk_create(documents, batch_size)
            add_vocabulary(created)
            count += len(created)
        get_backend().update_vectors(None)
    return count


# -- backends ------------------------------------------------------------------------


@dataclass
class Hit:
    title: str
    url: str
    kind: str
    snippet: SafeString

    @property
    def kind_label(self) -> str:
        return SearchDocument.Kind(self.kind).label

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
    return mark_safe(  # noqa: S308 - escaped above; only our own tags are added
        escaped.replace(MARK_START, "<mark>").replace(MARK_END, "</mark>")
    )


def best_snippet(*snippets: str) -> str:
    """The first snippet with a highlighted match, else the first non-empty one."""
    for snippet in snippets:
        if MARK_START in snippet:
            return snippet
    return next((snippet for snippet in snippets if snippet), "")


def exact_titles(alternatives: list[list[str]]) -> list[str]:
    """Titles that equal a whole query: those pages come first."""
    return sorted({" ".join(tokens) for tokens in alternatives})


def fts5_phrase(word: str) -> str:
    return '"' + word.replace('"', '""') + '"'


class Backend:
    def search(
        self, alternatives: list[list[str]], *, any_word: bool, kind: str, offset: int
    ) -> tuple[list[Hit], dict[str, int]]:
        """One page of hits, best first, and the number of hits of each kind.

        ``alternatives`` are equivalent queries as lists of words (the reader's, and
        the ones with synonyms put in); a document matches one if it has all its
        words, or any of them when ``any_word`` is set.
        """
        raise NotImplementedError

    def candidates(self, tokens: list[str]) -> dict[str, list[str]]:
        """Indexed words that look like each token."""
        raise NotImplementedError

    def update_vectors(self, ids: list[int] | None) -> None:
        """Bring database-specific index structures up to date for these rows.

        ``None`` means every row.
        """


def matching(counts: dict[str, int], kind: str) -> int:
    """How many pages match: of one kind when a kind is chosen, else of every kind."""
    return counts.get(kind, 0) if kind else sum(counts.values())


class PostgresBackend(Backend):
    def _query(self, alternatives: list[list[str]], any_word: bool) -> SearchQuery:
        combined = None
        for tokens in alternatives:
            if any_word:
                parts = [
                    SearchQuery(t, config=PG_CONFIG, search_type="plain")
                    for t in tokens
                ]
                query = parts[0]
                for part in parts[1:]:
                    query |= part
            else:
                query = SearchQuery(
                    " ".join(tokens), config=PG_CONFIG, search_type="websearch"
                )
            combined = query if combined is None else combined | query
        return combined

    @transaction.atomic
    def search(self, alternatives, *, any_word, kind, offset):
        # The planner does not cost reading TOASTed tsvectors, so for a common word
        # it prefers a sequential scan that reads every vector; the GIN index finds
        # the same rows without reading any. Measured: 40 ms against 2 ms.
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        query = self._query(alternatives, any_word)
        matches = SearchDocument.objects.visible().filter(vector=query)
        counts = dict(matches.values_list("kind").annotate(n=Count("pk")).order_by())
        if not matching(counts, kind):
            return [], counts
        if kind:
            matches = matches.filter(kind=kind)
        rows = (
            matches.alias(lower_title=Lower("title"))
            .annotate(
                exact=Case(
                    When(lower_title__in=exact_titles(alternatives), then=Value(1)),
                    default=Value(0),
                ),
                rank=SearchRank(F("rank_vector"), query),
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
            .order_by("-exact", "-rank", "title", "pk")
            .values_list("title", "url", "kind", "snippet")[offset : offset + PER_PAGE]
        )
        hits = [Hit(t, u, k, highlight(s)) for t, u, k, s in rows]
        return hits, counts

    @transaction.atomic
    def candidates(self, tokens):
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
        sql = """
            SELECT t.token, w.word
            FROM unnest(%s::text[]) AS t(token)
            CROSS JOIN LATERAL (
                SELECT word FROM knowledge_searchterm
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
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE knowledge_searchdocument")


class SqliteBackend(Backend):
    def _match(self, alternatives: list[list[str]], any_word: bool) -> str:
        joiner = " OR " if any_word else " AND "
        return " OR ".join(
            "(" + joiner.join(fts5_phrase(t) for t in tokens) + ")"
            for tokens in alternatives
        )

    def search(self, alternatives, *, any_word, kind, offset):
        match = self._match(alternatives, any_word)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        where = """
            FROM knowledge_search_fts AS fts
            JOIN knowledge_searchdocument AS d ON d.id = fts.rowid
            WHERE knowledge_search_fts MATCH %s AND d.published_at <= %s
        """
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT d.kind, COUNT(*) {where} GROUP BY d.kind", [match, now]
            )
            counts = dict(cursor.fetchall())
            if not matching(counts, kind):
                return [], counts
            params = [match, now]
            kind_sql = ""
            if kind:
                kind_sql, params = " AND d.kind = %s", [*params, kind]
            titles = exact_titles(alternatives)
            cursor.execute(
                f"""
                SELECT d.id {where}{kind_sql}
                ORDER BY lower(d.title) IN ({", ".join(["%s"] * len(titles))}) DESC,
                         bm25(knowledge_search_fts, {SQLITE_WEIGHTS}), d.title, d.id
                LIMIT %s OFFSET %s
                """,
                [*params, *titles, PER_PAGE, offset],
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


def get_backend() -> Backend:
    return PostgresBackend() if connection.vendor == "postgresql" else SqliteBackend()


# -- the search itself ---------------------------------------------------------------


@dataclass
class SearchResults:
    query: str
    hits: list[Hit] = field(default_factory=list)
    counts: dict[str, int] = field(default_factory=dict)
    kind: str = ""
    page: int = 1
    synonyms: list[tuple[str, str]] = field(default_factory=list)
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


def best_correction(token: str, candidates: list[str]) -> str:
    allowed = 1 if len(token) <= 4 else 2
    scored = [
        (levenshtein(token, word), abs(len(word) - len(token)), word)
        for word in candidates
    ]
    scored = [item for item in scored if item[0] <= allowed]
    return min(scored)[2] if scored else ""


def synonym_phrases() -> list[list[list[str]]]:
    """Every synonym group, each term as its list of words."""
    return [
        [content_words(term) or words(term) for term in synonym.term_list]
        for synonym in Synonym.objects.all()
    ]


def expand_synonyms(
    tokens: list[str], groups: list[list[list[str]]]
) -> tuple[list[list[str]], list[tuple[str, str]]]:
    """The query with each matching synonym put in, and which synonyms matched."""
    alternatives, used = [tokens], []
    for phrases in groups:
        for phrase in phrases:
            if not phrase or not _contains(tokens, phrase):
                continue
            for other in phrases:
                if other != phrase and len(alternatives) < MAX_EXPANSIONS:
                    alternatives.append(_replace(tokens, phrase, other))
                    used.append((" ".join(phrase), " ".join(other)))
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


# -- keeping the index in step -------------------------------------------------------


def _subjects_of(article: Article) -> list[Model]:
    causes = Cause.objects.filter(evidence__article=article).distinct()
    nutrients = Nutrient.objects.filter(evidence__article=article).distinct()
    return [*causes, *nutrients]


def _on_save(sender, instance, raw=False, **kwargs) -> None:
    if raw:  # loaddata: load_knowledge rebuilds the index once at the end
        return
    for obj in _affected(instance):
        index_object(obj)


def _on_delete(sender, instance, **kwargs) -> None:
    if isinstance(instance, Article | Cause | Nutrient | FoodSource):
        remove_object(instance)
    for obj in _affected(instance):
        if obj is not instance and obj.pk is not None:
            index_object(obj)


def _affected(instance: Model) -> list[Model]:
    """The searchable objects whose index rows a write to ``instance`` changes."""
    if isinstance(instance, Article):
        return [instance, *_subjects_of(instance)]
    if isinstance(instance, Cause | Nutrient | FoodSource):
        return [instance]
    if isinstance(instance, Evidence):
        return [obj for obj in (instance.cause, instance.nutrient) if obj]
    if isinstance(instance, CauseSymptom | CauseBodyArea):
        return [instance.cause]
    if isinstance(instance, NutrientFood):
        return [instance.nutrient, instance.food]
    return []


def connect_signals() -> None:
    """Index every write, whatever makes it: services, the admin, the shell.

    The index is a projection of the content, not domain logic, so signals are the
    one place that sees every write path.
    """
    for model in (
        Article,
        Cause,
        Nutrient,
        FoodSource,
        Evidence,
        CauseSymptom,
        CauseBodyArea,
        NutrientFood,
    ):
        post_save.connect(_on_save, sender=model, dispatch_uid=f"search-{model}")
        post_delete.connect(_on_delete, sender=model, dispatch_uid=f"search-d-{model}")
