"""The embedded SQLite default survives parallel writes (WAL, IMMEDIATE transactions,
busy timeout): eight threads creating organisations and needs at the same moment
against a file database, as `make run` serves it, all succeed.

The run happens in a child process because the test process's own database is the
test database that pytest-django set up; the child uses the real settings with a
fresh file under a temporary MATCHWERK_DATA_DIR.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap

import pytest

SCRIPT = textwrap.dedent("""
    import json, os, threading, traceback
    import django
    os.environ["DJANGO_SETTINGS_MODULE"] = "matchwerk.settings"
    django.setup()
    from django.core.management import call_command
    from django.db import connection
    call_command("migrate", verbosity=0)
    from django.utils import timezone
    from matchwerk.accounts.models import User
    from matchwerk.profiles import services
    from matchwerk.profiles.models import Region, Organisation, Need
    journal = connection.cursor().execute("PRAGMA journal_mode").fetchone()[0]
    region = Region.objects.order_by("pk").first()
    users = [User.objects.create_user(f"p{i}@example.org", "x", email_confirmed_at=timezone.now())
             for i in range(8)]
    connection.close()
    barrier = threading.Barrier(8)
    errors = []

    def write(i):
        try:
            barrier.wait()
            organisation = services.organisation_create(
                actor=users[i], name="Werkstatt", kind="sme", region=region,
                consent_directory=True, consent_matching=True)
            services.need_create(actor=None, organisation=organisation, title=f"Bedarf {i}", description="Text")
        except Exception as error:
            errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    threads = [threading.Thread(target=write, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    print(json.dumps({"journal": journal, "errors": errors,
                      "organisations": Organisation.objects.count(), "needs": Need.objects.count()}))
""")


def test_eight_parallel_writes_on_the_embedded_sqlite_all_succeed(tmp_path):
    env = {**os.environ, "MATCHWERK_DATA_DIR": str(tmp_path), "MATCHWERK_DATABASE_URL": "",
           "MATCHWERK_TASKS": "database", "MATCHWERK_PRODUCTION": ""}
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    assert result["errors"] == []
    assert result["journal"] == "wal"
    assert result["organisations"] == 8 and result["needs"] == 8


@pytest.mark.django_db
def test_sqlite_settings_wait_instead_of_failing(settings):
    options = settings.DATABASES["default"].get("OPTIONS", {})
    if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        pytest.skip("SQLite options only")
    assert options["transaction_mode"] == "IMMEDIATE"
    assert options["timeout"] >= 10
    assert "journal_mode=WAL" in options["init_command"]
