"""Rebuild the site-search index from the content."""

from django.core.management.base import BaseCommand

from search.index import rebuild_index


class Command(BaseCommand):
    help = "Re-index every searchable page (search.index) for site search."

    def handle(self, *args, **options):
        count = rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Indexed {count} pages."))
