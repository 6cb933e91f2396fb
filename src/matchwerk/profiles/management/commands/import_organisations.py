"""``matchwerk import_organisations FILE [--dry-run]``: the back office's import on the command line."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from matchwerk.profiles.importing import MAX_FILE_BYTES, organisations_import, plan_import


class Command(BaseCommand):
    help = "Import organisations from an XLSX or CSV file (all or nothing); see docs/import-export.md."

    def add_arguments(self, parser):
        parser.add_argument("file", help="XLSX or CSV file in the import format")
        parser.add_argument("--dry-run", action="store_true", help="check only, write nothing")

    def handle(self, *args, file: str, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Datei nicht gefunden: {file}")
        if path.stat().st_size > MAX_FILE_BYTES:
            raise CommandError(f"Die Datei ist größer als {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        plan = plan_import(path.read_bytes(), path.name)
        for warning in plan.warnings:
            self.stderr.write(f"Hinweis: {warning}")
        if plan.problems:
            for problem in plan.problems:
                self.stderr.write(str(problem))
            if plan.total_problems > len(plan.problems):
                self.stderr.write(f"… und {plan.total_problems - len(plan.problems)} weitere Fehler.")
            raise CommandError(f"{plan.total_problems} Fehler gefunden; nichts wurde importiert.")
        if dry_run:
            self.stdout.write(f"Prüfung erfolgreich: {plan.created} neu, {plan.updated} aktualisiert "
                              f"(Probelauf, nichts gespeichert).")
            return
        result = organisations_import(actor=None, plan=plan, source=path.name)
        self.stdout.write(f"Importiert: {result.created} neu, {result.updated} aktualisiert.")
