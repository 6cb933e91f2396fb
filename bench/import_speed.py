"""Import speed: 10,000 organisations from a CSV file, then a re-import that updates all of them.

Prints one JSON document. Runs against a throw-away SQLite database in a temporary folder, or
against the PostgreSQL server named by MATCHWERK_DATABASE_URL (a database the script may fill
and empty: use a scratch database). The baseline in the same process is the reading and checking
alone (plan_import), so the ratio shows what writing costs on top of it.

    .venv/bin/python bench/import_speed.py [--rows 10000]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
import time

from benchsetup import django_setup

HEADERS = ["Schlüssel", "Name", "Art", "Region", "Ort", "Themen", "Ansprechperson", "E-Mail",
           "Bedarf 1 Titel", "Angebot 1 Titel", "Im Verzeichnis", "Matching"]


def rows_csv(count: int, *, renamed: bool) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(HEADERS)
    for n in range(count):
        writer.writerow([f"org-{n}", f"{'Umbenannt' if renamed else 'Organisation'} {n}", "KMU", "Dresden",
                         "Dresden", "Bildung" if renamed else "Digitalisierung; Tourismus", f"Person {n}",
                         f"person{n}@example.org", f"{'Neu' if renamed else 'Bedarf'} {n}", f"Angebot {n}",
                         "ja", "nein"])
    return buffer.getvalue().encode("utf-8-sig")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    args = parser.parse_args()

    django_setup()
    from django.core.management import call_command
    from django.db import connection

    from matchwerk.profiles.importing import organisations_import, plan_import
    from matchwerk.profiles.models import Organisation

    call_command("migrate", verbosity=0, interactive=False)
    Organisation.objects.all().delete()

    first_file, second_file = rows_csv(args.rows, renamed=False), rows_csv(args.rows, renamed=True)
    started = time.perf_counter()
    plan = plan_import(first_file, "liste.csv")
    check_seconds = time.perf_counter() - started
    assert not plan.problems, plan.problems
    started = time.perf_counter()
    created = organisations_import(actor=None, plan=plan).created
    first_seconds = time.perf_counter() - started + check_seconds

    started = time.perf_counter()
    plan = plan_import(second_file, "liste.csv")
    updated = organisations_import(actor=None, plan=plan).updated
    again_seconds = time.perf_counter() - started
    assert (created, updated) == (args.rows, args.rows), (created, updated)
    Organisation.objects.all().delete()

    json.dump({"bench": "import_speed", "database": connection.vendor, "rows": args.rows,
               "check_seconds": round(check_seconds, 2), "first_import_seconds": round(first_seconds, 2),
               "reimport_seconds": round(again_seconds, 2),
               "ratio_first_to_check": round(first_seconds / check_seconds, 2)}, sys.stdout, indent=2)
    print()


if __name__ == "__main__":
    main()
