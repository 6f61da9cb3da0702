"""A backup restored into an empty database gives the same pages."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def test_restore_refuses_a_database_with_content(knowledge_base, tmp_path):
    backup = tmp_path / "backup.xml"
    call_command("backup_site", output=backup, verbosity=0)
    with pytest.raises(CommandError, match="empty"):
        call_command("restore_site", backup, verbosity=0)
