"""The editorial roles, as groups with exactly the permissions each needs."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

READ_KNOWLEDGE = [
    f"view_{model}"
    for model in (
        "articletransition",
        "nutrient",
        "cause",
        "foodsource",
        "evidence",
        "symptom",
        "bodyarea",
        "sourcedocument",
        "causesymptom",
        "causebodyarea",
        "nutrientfood",
    )
]
ROLES = {
    # Write and edit drafts, send them for review, and keep the knowledge base.
    "Authors": [
        "view_article",
        "add_article",
        "change_article",
        "submit_article",
        *READ_KNOWLEDGE,
        *[
            f"{verb}_{model}"
            for verb in ("add", "change", "delete")
            for model in (
                "evidence",
                "causesymptom",
                "causebodyarea",
                "nutrientfood",
            )
        ],
        "add_nutrient",
        "change_nutrient",
        "add_cause",
        "change_cause",
        "add_foodsource",
        "change_foodsource",
        "view_synonym",
        "add_synonym",
        "change_synonym",
        "delete_synonym",
        "view_searchquerylog",
    ],
    # Read everything; approve, or send back with a comment.
    "Medical reviewers": [
        "view_article",
        "review_article",
        *READ_KNOWLEDGE,
        "view_reviewerprofile",
    ],
    # Publish, schedule and unpublish approved articles.
    "Publishers": ["view_article", "publish_article", *READ_KNOWLEDGE],
}


def create_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for name, codenames in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        permissions = Permission.objects.filter(
            content_type__app_label="knowledge", codename__in=codenames
        )
        missing = set(codenames) - set(permissions.values_list("codename", flat=True))
        if missing:
            raise RuntimeError(f"Unknown permissions for {name}: {sorted(missing)}")
        group.permissions.set(permissions)


def remove_roles(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name__in=ROLES).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0004_editorial_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_roles, remove_roles)]
