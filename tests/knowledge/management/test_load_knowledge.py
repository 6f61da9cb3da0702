import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from knowledge.models import Article, SourceDocument
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_load_knowledge_loads_once_and_then_does_nothing(capsys):
    call_command("load_knowledge")
    assert "Loaded 4 source documents, 4 articles" in capsys.readouterr().out
    article = Article.objects.get(slug="nutrients-and-nerves")
    article.title = "Edited by an editor"
    article.save()
    call_command("load_knowledge")
    assert "already loaded" in capsys.readouterr().out
    article.refresh_from_db()
    assert article.title == "Edited by an editor"


def test_load_knowledge_refuses_to_overwrite_other_content():
    ArticleFactory()
    with pytest.raises(CommandError, match="--force"):
        call_command("load_knowledge")
    assert not SourceDocument.objects.exists()


def test_loaded_articles_start_their_history_with_the_loaded_text():
    call_command("load_knowledge", verbosity=0)
    for article in Article.objects.all():
        [first] = article.history.all()
        assert first.history_user is None
        assert first.history_change_reason == "Loaded from the source document"
        assert (first.title, first.slug, first.summary, first.body) == (
            article.title,
            article.slug,
            article.summary,
            article.body,
        )


def test_loaded_articles_are_live_but_wait_for_a_medical_review():
    call_command("load_knowledge", verbosity=0)
    articles = Article.objects.all()
    assert articles.count() == Article.objects.published().count() == 4
    for article in articles:
        assert article.reviewed_at is article.live_reviewed_at is None
        assert article.review_due is None
        assert article.live_slug == article.slug
        assert set(article.live_causes.all()) == set(article.causes.all())
        assert set(article.live_nutrients.all()) == set(article.nutrients.all())
        assert article.live_body == article.body
    assert set(Article.objects.review_overdue()) == set(articles)
