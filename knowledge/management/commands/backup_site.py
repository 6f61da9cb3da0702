"""Write a consistent backup of the site's data as a Django fixture.

XML rather than JSON: Django's JSON encoder cuts datetimes to milliseconds, and a
restored site must render byte for byte the same pages.
"""

from datetime import UTC, datetime
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.db import connection, transaction

# Derived or transient data: the search index is rebuilt on restore, content types
# and permissions are recreated by migrate, sessions are not worth keeping.
EXCLUDED = [
    "contenttypes",
    "auth.permission",
    "sessions",
    "search.searchdocument",
    "search.searchterm",
]


class Command(BaseCommand):
    help = "Write a consistent backup of all data (restore it with restore_site)."

    def add_arguments(self, parser):
        parser.add_argument("--output", type=Path, help="Default: backups/<time>.xml")

    def handle(self, *args, output: Path | None, **options):
        stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
        output = output or Path("backups") / f"twitchsite-{stamp}.xml"
        output.parent.mkdir(parents=True, exist_ok=True)
        buffer = StringIO()
        # One transaction, so every table is read as of the same moment.
        outermost = not connection.in_atomic_block
        with transaction.atomic():
            if connection.vendor == "postgresql" and outermost:
                with connection.cursor() as cursor:
                    cursor.execute(
                        "SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY"
                    )
            call_command(
                "dumpdata",
                exclude=EXCLUDED,
                natural_foreign=True,
                natural_primary=True,
                format="xml",
                indent=1,
                stdout=buffer,
            )
        output.write_text(buffer.getvalue(), encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {output}"))
