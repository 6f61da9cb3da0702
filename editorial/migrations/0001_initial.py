"""The workflow's records move here from the knowledge app, tables unchanged.

Only Django's record of which app owns them changes. Their content types are
relabelled, so that the permissions granted on them stay granted.
"""

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models

MOVED = ["reviewerprofile", "articletransition"]


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
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="ReviewerProfile",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("name", models.CharField(help_text="e.g. Dr Jane Smith", max_length=120)),
                        ("credential", models.CharField(help_text="e.g. MD, neurologist", max_length=120)),
                        ("user", models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name="reviewer_profile", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "knowledge_reviewerprofile"},
                ),
                migrations.CreateModel(
                    name="ArticleTransition",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("action", models.CharField(max_length=30)),
                        ("from_status", models.CharField(choices=[("draft", "Draft"), ("in_review", "In review"), ("approved", "Approved"), ("published", "Published")], max_length=20)),
                        ("to_status", models.CharField(choices=[("draft", "Draft"), ("in_review", "In review"), ("approved", "Approved"), ("published", "Published")], max_length=20)),
                        ("comment", models.TextField(blank=True)),
                        ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                        ("article", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="transitions", to="knowledge.article")),
                        ("user", models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, to=settings.AUTH_USER_MODEL)),
                    ],
                    options={"db_table": "knowledge_articletransition", "ordering": ["-created_at", "-pk"]},
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(relabel("knowledge", "editorial"), relabel("editorial", "knowledge")),
    ]
