"""Publish the approved articles whose scheduled time has come. Run it from cron."""

from django.core.management.base import BaseCommand

from editorial.services import articles_publish_scheduled


class Command(BaseCommand):
    help = "Publish approved articles whose scheduled time has come (every minute)."

    def handle(self, *args, **options):
        published = articles_publish_scheduled()
        for article in published:
            self.stdout.write(f"Published “{article}”.")
        if options["verbosity"] > 1 or not published:
            self.stdout.write(f"{len(published)} scheduled article(s) published.")
