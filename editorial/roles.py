"""The editorial roles: groups with exactly the permissions each role needs.

They are defined here, in code, and every ``migrate`` brings the groups in line
with this definition (``sync_roles``, on ``post_migrate``), so a change to a role is
reviewed like any other change. An editor's account is in one or more of the groups
(``python manage.py create_editor``); the group is what lets it into the admin
(``editorial.admin_site``).
"""

from django.apps import apps as global_apps
from django.contrib.auth.management import create_permissions

READ_KNOWLEDGE = [
    "editorial.view_articletransition",
    "editorial.view_proposal",
    "editorial.view_proposaltransition",
    "knowledge.view_condition",
    "search.view_synonym",
    *(
        f"knowledge.view_{model}"
        for model in (
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
    ),
]
ROLES = {
    # Write and edit drafts, send them for review, and keep the knowledge base.
    "Authors": [
        "knowledge.view_article",
        "knowledge.add_article",
        "knowledge.change_article",
        "knowledge.submit_article",
        "knowledge.add_sourcedocument",
        "knowledge.change_sourcedocument",
        *READ_KNOWLEDGE,
        # Facts: every change is proposed, reviewed and published.
        *(
            f"knowledge.{verb}_{model}"
            for verb in ("add", "change", "delete")
            for model in (
                "evidence",
                "causesymptom",
                "causebodyarea",
                "nutrientfood",
                "cause",
                "nutrient",
                "foodsource",
                "condition",
                "symptom",
                "bodyarea",
            )
        ),
        *(f"search.{verb}_synonym" for verb in ("add", "change", "delete")),
        "search.view_searchquerylog",
        "editorial.submit_proposal",
        "editorial.change_proposal",
        "editorial.delete_proposal",
    ],
    # Read everything; approve, or send back with a comment.
    "Medical reviewers": [
        "knowledge.view_article",
        "knowledge.review_article",
        "editorial.review_proposal",
        *READ_KNOWLEDGE,
        "editorial.view_reviewerprofile",
    ],
    # Publish, schedule and unpublish approved articles.
    "Publishers": [
        "knowledge.view_article",
        "knowledge.publish_article",
        "editorial.publish_proposal",
        *READ_KNOWLEDGE,
    ],
}


# Each role's group, by the name an editor's role goes by (``create_editor --role``).
ROLE_GROUPS = {
    "author": "Authors",
    "reviewer": "Medical reviewers",
    "publisher": "Publishers",
}
assert set(ROLE_GROUPS.values()) == set(ROLES)


def sync_roles(*, apps=global_apps, **kwargs) -> None:
    """Give each role's group exactly its permissions, creating what is missing.

    ``apps`` is the registry of models to write with: after ``migrate``, the state
    it migrated to.
    """
    for app_config in global_apps.get_app_configs():
        create_permissions(app_config, apps=apps, verbosity=0)
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    known = {
        f"{app_label}.{codename}": pk
        for pk, app_label, codename in Permission.objects.values_list(
            "pk", "content_type__app_label", "codename"
        )
    }
    for name, permissions in ROLES.items():
        missing = sorted(set(permissions) - set(known))
        if missing:
            raise RuntimeError(f"Unknown permissions for {name}: {missing}")
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set([known[permission] for permission in permissions])
