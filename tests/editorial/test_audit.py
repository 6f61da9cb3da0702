"""The audit log: who changed what and when, across the articles and the facts."""

from datetime import timedelta

import pytest
from django.utils import timezone

from editorial import facts
from editorial.audit import audit_entries, audit_rows, audited_models
from knowledge.models import Article, Cause, NutrientFood
from search.models import Synonym
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def entries(**filters):
    return audit_entries(list(audit_rows(models=audited_models(), **filters)))


def test_every_article_and_fact_keeps_its_versions():
    assert set(audited_models()) == {Article, *facts.fact_models()}
    for model in audited_models():
        assert hasattr(model, "history"), f"{model.__name__} keeps no versions"


def test_a_food_link_keeps_who_changed_it(knowledge_base, author):
    link = NutrientFood.objects.select_related("food", "nutrient").first()
    assert not link.history.exists()  # loaded as published
    link.stated_as = "Dark leafy greens"
    link._history_user = author
    link.save()
    version = link.history.get()
    assert (version.history_user, version.stated_as) == (author, "Dark leafy greens")
    entry = entries()[0]
    assert entry.model is NutrientFood and entry.user == author
    assert entry.name == f"{link.food} provides {link.nutrient}"
    assert entry.changed == []  # its first version: nothing to compare with
    link.stated_as = "Greens"
    link.save()
    assert entries()[0].changed == ["stated as"]


def test_changes_across_models_come_newest_first_with_the_fields_changed(
    knowledge_base, author, reviewer
):
    article = ArticleFactory(title="Cramps", status=Article.Status.DRAFT)
    article.title, article._history_user = "Night cramps", author
    article._change_reason = "A clearer title"
    article.save()
    cause = Cause.objects.order_by("pk").first()
    cause.save()  # a first version: loaded facts have none to compare with
    cause.name, cause._history_user = "Renamed cause", reviewer
    cause.save()
    synonym = Synonym.objects.order_by("pk").first()
    synonym._history_user = reviewer
    synonym.delete()

    found = entries()
    assert [(e.model, e.kind, e.user) for e in found[:4]] == [
        (Synonym, "Deleted", reviewer),
        (Cause, "Changed", reviewer),
        (Cause, "Changed", None),
        (Article, "Changed", author),
    ]
    assert found[0].url == ""  # nothing left to open
    assert (found[1].name, found[1].changed, found[1].url) == (
        "Renamed cause",
        ["name"],
        f"/admin/knowledge/cause/{cause.pk}/change/",
    )
    assert (found[3].name, found[3].changed, found[3].reason) == (
        "Night cramps",
        ["title"],
        "A clearer title",
    )


def test_the_audit_filters_by_user_model_and_date(author, reviewer):
    first = ArticleFactory(title="By the author")
    first.summary, first._history_user = "Changed.", author
    first.save()
    second = ArticleFactory(title="By the reviewer")
    second.summary, second._history_user = "Changed.", reviewer
    second.save()
    assert {e.name for e in entries(user_id=author.pk)} == {"By the author"}
    assert entries(user_id=reviewer.pk)[0].name == "By the reviewer"
    none = audit_rows(models=[Cause])
    assert list(none) == []
    today = timezone.localdate()
    assert len(entries(since=today, until=today)) == len(entries())
    assert entries(since=today + timedelta(days=1)) == []
    assert entries(until=today - timedelta(days=1)) == []


def test_a_link_to_something_deleted_since_is_still_listed(knowledge_base, author):
    link = NutrientFood.objects.first()
    link.stated_as, link._history_user = "Spinach", author
    link.save()
    link.food.delete()  # takes the link with it
    kinds = [(e.model, e.kind) for e in entries()]
    assert (NutrientFood, "Changed") in kinds and (NutrientFood, "Deleted") in kinds
