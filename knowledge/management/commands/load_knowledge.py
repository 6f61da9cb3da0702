"""Load the knowledge-base fixture into the database, once."""

import json
from pathlib import Path

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from knowledge.models import Article, Cause, FoodSource, Nutrient, SourceDocument
from search.index import rebuild_index

# The history's reason for an article's first version: the text as loaded.
LOADED = "Loaded from the source document"


class Command(BaseCommand):
    help = (
        "Load fixtures/knowledge.json into an empty knowledge base. Running it again "
        "changes nothing, so it never overwrites an editor's work."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even if the knowledge base has content, overwriting the "
            "records the fixture defines.",
        )

    def handle(self, *args, force: bool, **options):
        fixture = Path(settings.KNOWLEDGE_FIXTURES_DIR) / "knowledge.json"
        models = (SourceDocument, Article, Nutrient, Cause, FoodSource)
        existing = {
            model._meta.verbose_name_plural: model.objects.count() for model in models
        }
        if any(existing.values()) and not force:
            if SourceDocument.objects.exists():
                self.stdout.write(
                    "The knowledge base is already loaded; nothing to do."
                )
                return
            counts = ", ".join(f"{n} {name}" for name, n in existing.items() if n)
            raise CommandError(
                f"The database already holds {counts}. Loading would overwrite them; "
                "use --force if that is what you want."
            )
        with transaction.atomic():
            call_command("loaddata", fixture, verbosity=0)
            # loaddata saves raw rows, which the history and the search index skip.
            # The loaded text is each article's first version, written by no one:
            # later changes are compared with it, and it can be restored.
            loaded = Article.objects.filter(pk__in=fixture_articles(fixture))
            Article.history.bulk_history_create(
                list(loaded), default_change_reason=LOADED
            )
            indexed = rebuild_index()
        if not options["verbosity"]:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Loaded {SourceDocument.objects.count()} source documents, "
                f"{Article.objects.count()} articles, {Nutrient.objects.count()} "
                f"nutrients, {Cause.objects.count()} causes and "
                f"{FoodSource.objects.count()} food sources; indexed {indexed} pages "
                "for search."
            )
        )


def fixture_articles(fixture: Path) -> list[int]:
    """The keys of the articles a fixture holds."""
    records = json.loads(fixture.read_text(encoding="utf-8"))
    return [row["pk"] for row in records if row["model"] == "knowledge.article"]
