"""Database-specific full-text machinery on top of SearchDocument and SearchTerm.

PostgreSQL: the pg_trgm and unaccent extensions, a text-search configuration that
folds accents before English stemming, a GIN index on the weighted tsvector and a
trigram index on the vocabulary.

SQLite: an FTS5 table over the documents (Porter stemming, accents folded) and an
FTS5 trigram table over the vocabulary, both external-content tables kept in step
by triggers, so that every write to the base tables reaches them.
"""

from django.db import migrations

POSTGRES_FORWARD = [
    "CREATE EXTENSION IF NOT EXISTS pg_trgm",
    "CREATE EXTENSION IF NOT EXISTS unaccent",
    """
    DO $$ BEGIN
        IF NOT EXISTS (SELECT 1 FROM pg_ts_config WHERE cfgname = 'twitch') THEN
            CREATE TEXT SEARCH CONFIGURATION twitch (COPY = english);
            ALTER TEXT SEARCH CONFIGURATION twitch
                ALTER MAPPING FOR hword, hword_part, word WITH unaccent, english_stem;
        END IF;
    END $$
    """,
    "CREATE INDEX knowledge_searchdocument_vector_gin "
    "ON knowledge_searchdocument USING gin (vector)",
    "CREATE INDEX knowledge_searchterm_word_trgm "
    "ON knowledge_searchterm USING gin (word gin_trgm_ops)",
]
POSTGRES_BACKWARD = [
    "DROP INDEX IF EXISTS knowledge_searchterm_word_trgm",
    "DROP INDEX IF EXISTS knowledge_searchdocument_vector_gin",
    "DROP TEXT SEARCH CONFIGURATION IF EXISTS twitch",
]


def _fts_sync(table: str, base: str, columns: list[str]) -> list[str]:
    cols = ", ".join(columns)
    new = ", ".join(f"new.{c}" for c in columns)
    old = ", ".join(f"old.{c}" for c in columns)
    return [
        f"CREATE TRIGGER {table}_ai AFTER INSERT ON {base} BEGIN "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"CREATE TRIGGER {table}_ad AFTER DELETE ON {base} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) "
        f"VALUES ('delete', old.id, {old}); END",
        f"CREATE TRIGGER {table}_au AFTER UPDATE ON {base} BEGIN "
        f"INSERT INTO {table}({table}, rowid, {cols}) "
        f"VALUES ('delete', old.id, {old}); "
        f"INSERT INTO {table}(rowid, {cols}) VALUES (new.id, {new}); END",
        f"INSERT INTO {table}({table}) VALUES ('rebuild')",
    ]


DOCUMENT_COLUMNS = ["title", "aliases", "summary", "body"]
SQLITE_FORWARD = [
    "CREATE VIRTUAL TABLE knowledge_search_fts USING fts5("
    "title, aliases, summary, body, content='knowledge_searchdocument', "
    "content_rowid='id', tokenize='porter unicode61 remove_diacritics 2')",
    *_fts_sync("knowledge_search_fts", "knowledge_searchdocument", DOCUMENT_COLUMNS),
    "CREATE VIRTUAL TABLE knowledge_searchterm_trigram USING fts5("
    "word, content='knowledge_searchterm', content_rowid='id', tokenize='trigram')",
    *_fts_sync("knowledge_searchterm_trigram", "knowledge_searchterm", ["word"]),
]
SQLITE_BACKWARD = [
    "DROP TABLE IF EXISTS knowledge_searchterm_trigram",
    "DROP TABLE IF EXISTS knowledge_search_fts",
    *[
        f"DROP TRIGGER IF EXISTS {table}_{suffix}"
        for table in ("knowledge_search_fts", "knowledge_searchterm_trigram")
        for suffix in ("ai", "ad", "au")
    ],
]


def _run(statements_by_vendor):
    def run(apps, schema_editor):
        for statement in statements_by_vendor.get(schema_editor.connection.vendor, []):
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_search_index")]

    operations = [
        migrations.RunPython(
            _run({"postgresql": POSTGRES_FORWARD, "sqlite": SQLITE_FORWARD}),
            _run({"postgresql": POSTGRES_BACKWARD, "sqlite": SQLITE_BACKWARD}),
        ),
    ]
