"""Load a backup written by backup_site into an empty, migrated database."""

from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from knowledge.models import Article, Cause, Nutrient, SourceDocument
from search.index import rebuild_index


class Command(BaseCommand):
    help = "Restore a backup into an empty database (run migrate first)."

    def add_arguments(self, parser):
        parser.add_argument("backup", type=Path)

    def handle(self, *args, backup: Path, **options):
        if not backup.exists():
            raise CommandError(f"No backup at {backup}.")
        if any(m.objects.exists() for m in (Article, Cause, Nutrient, SourceDocument)):
            raise CommandError(
                "This database already has content: restore into an empty one."
            )
        with transaction.atomic():
            call_command("loaddata", backup, verbosity=0)
            indexed = rebuild_index()
        self.stdout.write(
            self.style.SUCCESS(f"Restored {backup}; indexed {indexed} pages.")
        )
