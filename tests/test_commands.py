import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from knowledge.models import Article, SourceDocument
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db


def test_build_check_passes_on_the_committed_fixture(capsys):
    call_command("build_knowledge", "--check")
    assert "is up to date" in capsys.readouterr().out


def test_build_check_fails_when_the_fixture_is_stale(tmp_path):
    stale = tmp_path / "knowledge.json"
    stale.write_text("[]\n")
    with pytest.raises(CommandError, match="out of date"):
        call_command("build_knowledge", "--check", "--output", stale)


def test_build_writes_the_fixture_and_dry_run_writes_nothing(tmp_path, capsys):
    target = tmp_path / "knowledge.json"
    call_command("build_knowledge", "--dry-run", "--output", target)
    assert not target.exists()
    call_command("build_knowledge", "--output", target)
    assert target.read_text().startswith("[\n")
    call_command("build_knowledge", "--check", "--output", target)


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
