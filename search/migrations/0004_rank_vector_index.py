"""A GIN index on the ranking vector, on PostgreSQL.

The ranking vector holds a page's title, aliases, summary and the opening of its
body: the pages with the words there are the best candidates to rank, and at
100,000 articles finding them through this index avoids reading every match.
"""

from django.db import migrations

FORWARD = (
    "CREATE INDEX IF NOT EXISTS knowledge_searchdocument_rank_vector_gin "
    "ON knowledge_searchdocument USING gin (rank_vector)"
)
BACKWARD = "DROP INDEX IF EXISTS knowledge_searchdocument_rank_vector_gin"


def _on_postgresql(statement):
    def run(apps, schema_editor):
        if schema_editor.connection.vendor == "postgresql":
            schema_editor.execute(statement)

    return run


class Migration(migrations.Migration):
    dependencies = [("search", "0003_synonym_history")]

    operations = [
        migrations.RunPython(_on_postgresql(FORWARD), _on_postgresql(BACKWARD)),
    ]
