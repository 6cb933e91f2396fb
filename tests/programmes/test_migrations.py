"""Moving Programme (to ``programmes``) and Consent (to ``privacy``) keeps existing rows:
a database migrated up to the old layout, filled, then migrated forward still has them,
and the programme's team starts with the matching team.

The migrations run in a separate process on a throw-away SQLite file, so the test
database of the other tests stays as it is.
"""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import django
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        executor = MigrationExecutor(connection)
        executor.migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    # The layout before the move: Programme in matching, Consent in profiles.
    old = migrate([("matching", "0001_initial"), ("profiles", "0005_import_job"), ("accounts", "0002_loginfailure")])
    User = old.get_model("accounts", "User")
    region = old.get_model("profiles", "Region").objects.get(name="Dresden")
    Organisation = old.get_model("profiles", "Organisation")
    User.objects.create(email="team@example.org", role="matching_team", is_active=True)
    member = User.objects.create(email="member@example.org", role="participant", is_active=True)
    a = Organisation.objects.create(key="a", kind="sme", name="A", region=region)
    b = Organisation.objects.create(key="b", kind="startup", name="B", region=region)
    programme = old.get_model("matching", "Programme").objects.create(name="Alt", slug="alt")
    programme.regions.add(region)
    old.get_model("matching", "Suggestion").objects.create(programme=programme, organisation=a, partner=b,
                                                          score=0.5, rank=1)
    old.get_model("matching", "Match").objects.create(programme=programme)
    old.get_model("profiles", "Consent").objects.create(user=member, organisation=a, purpose="directory",
                                                       granted=True, text_version="2026-11")

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    moved = new.get_model("programmes", "Programme").objects.get(slug="alt")
    assert moved.pk == programme.pk, moved.pk
    assert list(moved.regions.values_list("name", flat=True)) == ["Dresden"]
    assert list(moved.team.values_list("email", flat=True)) == ["team@example.org"]
    suggestion = new.get_model("matching", "Suggestion").objects.get()
    assert (suggestion.programme_id, suggestion.organisation_id) == (moved.pk, a.pk)
    assert new.get_model("matching", "Match").objects.get().programme_id == moved.pk
    consent = new.get_model("privacy", "Consent").objects.get()
    assert (consent.user_id, consent.organisation_id, consent.purpose) == (member.pk, a.pk, "directory")
    print("rows kept")
''')


def test_moving_programme_and_consent_keeps_rows(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchwerk.settings", "MATCHWERK_DATA_DIR": str(tmp_path),
           "MATCHWERK_DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "rows kept" in result.stdout
