"""What every test shares: empty caches, a fast password hasher, the editorial
roles, and the real knowledge base, loaded once per test session."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group
from django.core.cache import caches

from editorial.roles import sync_roles
from search import index
from tests.knowledge_base import Snapshot, restore_knowledge_base, take_snapshot


@pytest.fixture(autouse=True, scope="session")
def _fast_password_hasher():
    """Hash passwords with MD5 in tests: the real hasher costs 0.3 s a password."""
    from django.conf import settings

    original = settings.PASSWORD_HASHERS
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    yield
    settings.PASSWORD_HASHERS = original


@pytest.fixture(autouse=True)
def _empty_caches():
    """Each test starts with empty caches: rate-limit counts included."""
    for cache in caches.all():
        cache.clear()
    yield
    for cache in caches.all():
        cache.clear()


@pytest.fixture(autouse=True)
def _nothing_pending_for_the_search_index():
    """A test's transaction never commits: forget what it left to index."""
    yield
    index.discard_pending()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs what waits for the writes inside to commit.

    A test's own transaction never commits, so work deferred to the commit (the
    search index) runs when the block ends, as it would after a real commit.
    """
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture(autouse=True)
def _plain_static_storage(settings):
    """Serve static files unhashed: tests do not run collectstatic first."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }


@pytest.fixture(scope="session")
def knowledge_base_snapshot(django_db_setup, django_db_blocker) -> Snapshot:
    """The rows ``load_knowledge`` writes, loaded once per test session."""
    with django_db_blocker.unblock():
        return take_snapshot()


@pytest.fixture
def knowledge_base(db, knowledge_base_snapshot):
    """The real knowledge base, as loaded from the committed fixture."""
    restore_knowledge_base(knowledge_base_snapshot)


@pytest.fixture
def roles(db):
    """The editorial groups, as ``migrate`` makes them.

    A transactional test's database is flushed after it, and the flush takes the
    groups with it: make them again from the same definition.
    """
    sync_roles()


@pytest.fixture
def make_user(django_user_model, roles):
    def make(name: str, group: str | None = None):
        user = django_user_model.objects.create_user(name, password="x", is_staff=True)
        if group:
            user.groups.add(Group.objects.get(name=group))
        return user

    return make
