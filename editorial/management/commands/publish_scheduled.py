"""Publish and unpublish the articles whose scheduled time has come.

In production, run it every minute from one scheduler (a systemd timer or a cron
line: see the README). ``--loop`` keeps it running, once every ``--interval``
seconds, for ``make run``: it stops when the process that started it is gone, so
it never outlives the development server beside it.
"""

import os
import time

from django.core.management.base import BaseCommand
from django.db import DatabaseError, close_old_connections, connection

from editorial.services import articles_run_schedule

DONE = {"publish": "Published", "unpublish": "Unpublished"}


class Command(BaseCommand):
    help = (
        "Publish and unpublish the articles whose scheduled time has come. Run it "
        "every minute, or with --loop beside the development server."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--loop",
            action="store_true",
            help="Keep running, until stopped or until the parent process is gone.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=30.0,
            help="Seconds between two runs with --loop (default 30).",
        )

    def handle(self, *args, loop: bool, interval: float, **options):
        parent = os.getppid()
        try:
            while True:
                self.run_once(options["verbosity"], quiet_when_idle=loop)
                if not loop:
                    return
                if not connection.in_atomic_block:  # else the caller's to keep
                    # As after a request: drop a connection that is broken or old.
                    close_old_connections()
                time.sleep(interval)
                if os.getppid() != parent:
                    return  # what started it has gone: so does the schedule
        except KeyboardInterrupt:
            return

    def run_once(self, verbosity: int, *, quiet_when_idle: bool) -> None:
        try:
            done = articles_run_schedule()
        except DatabaseError as error:
            if not quiet_when_idle:
                raise
            # A busy or restarting database: the next run tries again.
            self.stderr.write(f"The schedule could not run: {error}")
            return
        for action, article in done:
            self.stdout.write(f"{DONE[action]} “{article}”.")
        if verbosity > 1 or not (done or quiet_when_idle):
            self.stdout.write(f"{len(done)} scheduled step(s) taken.")
