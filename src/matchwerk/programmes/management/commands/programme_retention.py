"""``matchwerk programme_retention``: queue the retention sweep (erase or anonymise the
participants' data of every programme whose retention period has passed). The task
workers queue it daily by themselves (``matchwerk.core.periodic``); this command is for cron
users (``MATCHWERK_PERIODIC_TASKS=off``) and for running it by hand. Running it more often
or twice erases nothing twice.
``--now`` runs it at once, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from matchwerk.programmes.retention.tasks import retention_sweep_task


class Command(BaseCommand):
    help = "Queue the retention sweep of finished programmes (idempotent)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, **options) -> None:
        if options["now"]:
            self.stdout.write(f"{retention_sweep_task.call()} programmes")
        else:
            retention_sweep_task.enqueue()
            self.stdout.write("queued")
