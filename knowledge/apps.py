from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    default_auto_field = "django.db.models.BigAutoField"
    name = "knowledge"
    verbose_name = "Knowledge base"

    def ready(self) -> None:
        from knowledge import content_version
        from twitchsite import site_url  # noqa: F401 - registers its deploy check

        content_version.connect_signals()
