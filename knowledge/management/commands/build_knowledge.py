"""Build fixtures/knowledge.json from the source documents and the curated file."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from knowledge.builder import BuildError, KnowledgeBuilder, build_fixture
from knowledge.ledger import report

FIXTURE_NAME = "knowledge.json"


class Command(BaseCommand):
    help = (
        "Parse the source documents in fixtures/sources/ with fixtures/curation.toml "
        "and write the knowledge-base fixture."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help=f"Where to write the fixture (default: fixtures/{FIXTURE_NAME}).",
        )
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with an error if the committed fixture differs.",
        )
        parser.add_argument(
            "--ledger",
            action="store_true",
            help="Write nothing; print, document by document, how many claims it "
            "makes, how many are held, and what was left out and why.",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Build and report what would be written, but write nothing.",
        )

    def handle(
        self,
        *args,
        output: Path | None,
        check: bool,
        dry_run: bool,
        ledger: bool,
        **options,
    ):
        fixtures_dir = Path(settings.KNOWLEDGE_FIXTURES_DIR)
        target = output or fixtures_dir / FIXTURE_NAME
        if ledger:
            builder = KnowledgeBuilder(fixtures_dir)
            try:
                builder.build()
            except BuildError as error:
                raise CommandError(
                    f"Cannot build the knowledge base: {error}"
                ) from error
            self.stdout.write(report(builder.reckonings))
            return
        try:
            text = build_fixture(fixtures_dir)
        except BuildError as error:
            raise CommandError(f"Cannot build the knowledge base: {error}") from error

        current = target.read_text(encoding="utf-8") if target.exists() else None
        if check:
            if current != text:
                raise CommandError(
                    f"{target} is out of date: run `python manage.py build_knowledge`."
                )
            self.stdout.write(f"{target} is up to date.")
            return
        if dry_run:
            state = "unchanged" if current == text else "would change"
            self.stdout.write(f"{target} {state} ({len(text):,} bytes).")
            return
        target.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {target} ({len(text):,} bytes)."))
