"""``matchwerk webhooks_retry [--older-than SECONDS]``: queue the pending webhook deliveries
whose next attempt is due.

With the database task backend (the default) a failed attempt plans the next one itself
as a deferred task, so this command is not needed for the back-off. It is needed with
``MATCHWERK_TASKS=immediate`` (that backend cannot run a task later: run the command
from cron every few minutes), and it is a safety net for an attempt whose queued task was
lost (then give ``--older-than 600`` so that it does not race the queue's own retries).
"""

from __future__ import annotations

from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError

from matchwerk.api.webhooks import deliveries_retry_due


class Command(BaseCommand):
    help = "Queue the pending webhook deliveries whose next attempt is due."

    def add_arguments(self, parser):
        parser.add_argument("--older-than", type=int, default=0, metavar="SECONDS",
                            help="only deliveries due at least this many seconds ago (default 0)")

    def handle(self, *args, older_than: int, **options):
        if older_than < 0:
            raise CommandError("--older-than must not be negative")
        count = deliveries_retry_due(grace=timedelta(seconds=older_than))
        self.stdout.write(f"{count} webhook deliveries queued")
