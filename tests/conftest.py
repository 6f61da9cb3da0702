import importlib

import pytest
from django.contrib.auth.models import Group, Permission
from django.core.cache import cache
from django.core.management import call_command


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts with an empty cache: rate-limit counts included."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files unhashed: tests do not run collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture
def knowledge_base(db):
    """The real knowledge base, loaded from the committed fixture."""
    call_command("load_knowledge", verbosity=0)


@pytest.fixture
def roles(db):
    """The editorial groups, as their data migration makes them.

    A transactional test's database is flushed after it, and the flush takes the
    groups the migration made with it: make them again from the same definition.
    """
    migration = importlib.import_module("knowledge.migrations.0005_editorial_roles")
    for name, codenames in migration.ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        group.permissions.set(
            Permission.objects.filter(
                content_type__app_label="knowledge", codename__in=codenames
            )
        )
