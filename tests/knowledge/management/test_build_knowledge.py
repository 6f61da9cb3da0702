import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

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
