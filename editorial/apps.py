from django.apps import AppConfig
from django.db.models.signals import post_migrate


class EditorialConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "editorial"
    verbose_name = "Editorial workflow"

    def ready(self) -> None:
        from editorial.roles import sync_roles

        post_migrate.connect(sync_roles, sender=self, dispatch_uid="editorial-roles")
