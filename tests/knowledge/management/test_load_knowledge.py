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
