"""The search index's models now belong to the search app, and the workflow's
records to the editorial app; their tables stay as they are."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0008_article_reading_minutes_live_index"),
        ("search", "0001_initial"),
        ("editorial", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="SearchDocument"),
                migrations.DeleteModel(name="SearchTerm"),
                migrations.DeleteModel(name="Synonym"),
                migrations.DeleteModel(name="SearchQueryLog"),
                migrations.DeleteModel(name="ReviewerProfile"),
                migrations.DeleteModel(name="ArticleTransition"),
            ],
            database_operations=[],
        ),
    ]
