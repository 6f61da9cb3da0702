"""The search index follows every write, once it commits, on either database."""

from collections import Counter
from datetime import timedelta
from http import HTTPStatus

import pytest
from django.core.cache import cache
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from knowledge.models import Article, Cause, CauseSymptom
from search import index
from search.backends.postgres import GIN_INDEXES
from search.models import SearchDocument
from search.query import search
from tests.factories import (
    ArticleFactory,
    CauseFactory,
    EvidenceFactory,
    NutrientFactory,
    SymptomFactory,
)

pytestmark = pytest.mark.django_db


def test_scheduled_article_is_found_once_its_time_comes(monkeypatch, commit):
    now = timezone.now()
    tomorrow = now + timedelta(days=1)
    with commit():
        ArticleFactory(title="Scheduled", body="Quivering.", published_at=tomorrow)
    assert not search("quivering").total
    # Nothing is re-indexed: the index compares the date when it searches, once
    # the results kept for the content version have expired, as pages do.
    monkeypatch.setattr(timezone, "now", lambda: now + timedelta(days=2))
    cache.clear()
    assert search("quivering").total == 1


def test_search_links_to_the_live_address_until_a_new_one_is_published(commit):
    with commit():
        article = ArticleFactory(title="Blinking", slug="blinking")
    article.slug = "blinks"
    with commit():
        article.save()
    assert SearchDocument.objects.get().url == "/articles/blinking/"
    article.take_live_copy()
    with commit():
        article.save()
    assert SearchDocument.objects.get().url == "/articles/blinks/"


def test_index_follows_create_edit_publish_unpublish_and_delete(commit):
    with commit():
        article = ArticleFactory(title="Blinking", body="Rapid blinking.")
    assert search("blinking").total == 1
    article.title, article.body = "Shuddering", "Rapid shuddering."
    with commit():
        article.save()
    # An edit is a new draft: readers, and search, still see the live version.
    assert search("blinking").total == 1
    assert search("shuddering").total == 0
    article.take_live_copy()
    with commit():
        article.save()
    assert search("blinking").total == 0
    assert search("shuddering").total == 1
    article.status, article.published_at = Article.Status.DRAFT, None
    article.clear_live_copy()
    with commit():
        article.save()
    assert search("shuddering").total == 0
    with commit():
        article.delete()
    assert not SearchDocument.objects.exists()


def test_index_follows_evidence_about_a_cause(commit):
    with commit():
        cause = CauseFactory(name="Mystery cause")
    assert search("flibbertigibbet").total == 0
    with commit():
        evidence = EvidenceFactory(cause=cause, passage="A flibbertigibbet passage.")
    assert [h.title for h in search("flibbertigibbet").hits] == ["Mystery cause"]
    with commit():
        evidence.delete()
    assert search("flibbertigibbet").total == 0
    with commit():
        cause.delete()
    assert not SearchDocument.objects.filter(kind="cause").exists()


def test_renaming_a_symptom_or_a_nutrient_reaches_the_rows_that_name_it(commit):
    with commit():
        symptom = SymptomFactory(name="Quiver")
        nutrient = NutrientFactory(name="Zincum")
        cause = CauseFactory(name="Some cause", nutrient=nutrient)
        evidence = EvidenceFactory(cause=cause, passage="In other words.")
        CauseSymptom.objects.create(cause=cause, symptom=symptom, evidence=evidence)
    assert [h.title for h in search("quiver").hits] == ["Some cause"]
    with commit():
        symptom.name = "Flutter"
        symptom.save()
        nutrient.name = "Ferrum"
        nutrient.save()
    assert [h.title for h in search("flutter").hits] == ["Some cause"]
    assert not search("quiver").total
    assert "Some cause" in [h.title for h in search("ferrum").hits]


def test_nothing_is_indexed_until_the_transaction_commits(commit):
    with commit() as callbacks:
        article = ArticleFactory(title="Tremor", body="Tremor.")
        assert search("tremor").total == 0
        for _ in range(3):
            article.save()
    assert search("tremor").total == 1
    assert callbacks, "indexing waits for the commit"


def test_each_object_is_indexed_once_per_transaction(commit, monkeypatch):
    built = []
    original = index.build_document
    monkeypatch.setattr(
        index, "build_document", lambda obj: built.append(obj) or original(obj)
    )
    with commit():
        cause = CauseFactory(name="Busy cause")
        for n in range(5):
            EvidenceFactory(cause=cause, passage=f"Passage {n}.")
        cause.save()
    indexed = Counter((type(obj).__name__, obj.pk) for obj in built)
    # The cause, saved six times over, once; each evidence's article once.
    assert indexed[("Cause", cause.pk)] == 1
    assert set(indexed.values()) == {1}
    assert len(indexed) == 1 + 5


def test_a_rebuild_gives_the_rows_the_writes_gave(commit, knowledge_base):
    def rows():
        return sorted(
            SearchDocument.objects.values_list(
                "kind", "object_id", "title", "aliases", "summary", "body", "url"
            )
        )

    with commit():
        for cause in Cause.objects.all():
            cause.save()
    written = rows()
    index.rebuild_index()
    assert rows() == written
    # Every article, cause, nutrient, food and condition of the knowledge base.
    assert len(written) == 4 + 17 + 6 + 21 + 6


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's GIN")
def test_a_rebuild_leaves_no_pending_entries_for_searches_to_read(knowledge_base):
    index.rebuild_index()
    with connection.cursor() as cursor:
        for gin in GIN_INDEXES:
            # The number of pending pages merged: none are left to merge.
            cursor.execute("SELECT gin_clean_pending_list(%s::regclass)", [gin])
            assert cursor.fetchone() == (0,)


def test_index_follows_edits_made_in_the_admin(admin_client, commit):
    with commit():
        article = ArticleFactory(
            title="Old title", slug="old", body="Zygomatic twitch."
        )
    with commit():
        response = admin_client.post(
            reverse("admin:knowledge_article_change", args=[article.pk]),
            {
                "title": "Renamed in admin",
                "slug": "old",
                "summary": "",
                "body": "Zygomatic twitch, edited.",
                "transitions-TOTAL_FORMS": "0",
                "transitions-INITIAL_FORMS": "0",
                "expected_version": article.version,
            },
        )
    assert response.status_code == HTTPStatus.FOUND, response.content[:2000]
    # The edit waits for review: search still finds the live version.
    assert [hit.title for hit in search("zygomatic").hits] == ["Old title"]
    with commit():
        admin_client.post(
            reverse("admin:knowledge_article_delete", args=[article.pk]),
            {"post": "yes"},
        )
    assert search("zygomatic").total == 0
