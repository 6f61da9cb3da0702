"""The search index's models move here from the knowledge app, tables unchanged.

Their tables (and the full-text machinery built on them by
knowledge/migrations/0003_search_engines.py) stay as they are: only Django's record
of which app owns them changes. Their content types are relabelled, so that the
permissions granted on them stay granted.
"""

import django.contrib.postgres.search
import django.utils.timezone
from django.db import migrations, models

MOVED = ["searchdocument", "searchterm", "synonym", "searchquerylog"]


def relabel(old: str, new: str):
    def run(apps, schema_editor):
        ContentType = apps.get_model("contenttypes", "ContentType")
        for model in MOVED:
            if not ContentType.objects.filter(app_label=new, model=model).exists():
                ContentType.objects.filter(app_label=old, model=model).update(
                    app_label=new
                )

    return run


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("knowledge", "0008_article_reading_minutes_live_index"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="SearchDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(help_text="The indexed model's search_kind (search.index).", max_length=20)),
                        ("object_id", models.PositiveBigIntegerField()),
                        ("title", models.CharField(max_length=300)),
                        ("aliases", models.TextField(blank=True)),
                        ("summary", models.TextField(blank=True)),
                        ("body", models.TextField(blank=True)),
                        ("url", models.CharField(max_length=300)),
                        ("published_at", models.DateTimeField(blank=True, help_text="Empty while the page is not published.", null=True)),
                        ("vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                        ("rank_vector", django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                    ],
                    options={
                        "db_table": "knowledge_searchdocument",
                        "constraints": [models.UniqueConstraint(fields=("kind", "object_id"), name="searchdocument_unique_object")],
                    },
                ),
                migrations.CreateModel(
                    name="SearchTerm",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("word", models.CharField(max_length=100, unique=True)),
                    ],
                    options={"db_table": "knowledge_searchterm"},
                ),
                migrations.CreateModel(
                    name="Synonym",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("terms", models.TextField(help_text="Two or more words or phrases that mean the same, one per line.")),
                        ("note", models.CharField(blank=True, help_text="Where the equivalence comes from.", max_length=200)),
                    ],
                    options={"db_table": "knowledge_synonym", "ordering": ["pk"]},
                ),
                migrations.CreateModel(
                    name="SearchQueryLog",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("query", models.CharField(max_length=200)),
                        ("date", models.DateField(default=django.utils.timezone.localdate)),
                        ("count", models.PositiveIntegerField(default=1)),
                    ],
                    options={
                        "db_table": "knowledge_searchquerylog",
                        "verbose_name": "search that found nothing",
                        "verbose_name_plural": "searches that found nothing",
                        "ordering": ["-date", "-count"],
                        "constraints": [models.UniqueConstraint(fields=("query", "date"), name="searchquerylog_unique_per_day")],
                    },
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel("knowledge", "search"), relabel("search", "knowledge")),
    ]
