"""``matchwerk followups_send``: queue the round of due follow-up check-ins, their
reminders and milestone reminders. The task workers queue it every hour by themselves
(``matchwerk.core.periodic``); this command is for cron users (``MATCHWERK_PERIODIC_TASKS=off``)
and for running it by hand. Running it more often or twice sends nothing twice. ``--now`` runs it at once, in this process."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from matchwerk.matching.tasks import send_due_followups


class Command(BaseCommand):
    help = "Queue the due follow-up check-ins, reminders and milestone reminders (idempotent)"

    def add_arguments(self, parser) -> None:
        parser.add_argument("--now", action="store_true", help="run in this process instead of queueing")

    def handle(self, *args, **options) -> None:
        if options["now"]:
            result = send_due_followups.call()
            self.stdout.write(f"{result['followups']} follow-up rounds, {result['milestones']} milestone reminders")
        else:
            send_due_followups.enqueue()
            self.stdout.write("queued")
