"""A covering index for lists of live articles, on SQLite.

SQLite keeps a row's texts in the row, in column order: an article's summary and
title come after its bodies, and reading them means reading past the bodies. The
newest articles at 100x are sources reproduced as tables, 2.4 MB each, so the
home page, the article list and the feed read megabytes for a few summaries.
From this index they read nothing else. PostgreSQL keeps large texts out of the
row, and a summary could outgrow its limit for an index entry: it does not get
this index.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS article_list_covering ON knowledge_article "
    '("published_at" DESC, "title", "live_title", "live_slug", "live_summary", '
    '"live_reading_minutes", "slug", "updated_at")'
)
BACKWARD = "DROP INDEX IF EXISTS article_list_covering"


def _on_sqlite(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "sqlite":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0016_article_sitemap_index")]

    operations = [
        migrations.RunPython(_on_sqlite(FORWARD), _on_sqlite(BACKWARD)),
    ]
