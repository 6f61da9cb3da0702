from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from editorial.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="editorial-roles")


class EditorialAdminConfig(admin_apps.AdminConfig):
    """Django's admin, served by the site that admits editors by their role
    (``editorial.admin_site``). Listed in ``INSTALLED_APPS`` in its place."""

    # Not the editorial app's own configuration: that stays EditorialConfig.
    default = False
    default_site = "editorial.admin_site.EditorialAdminSite"
