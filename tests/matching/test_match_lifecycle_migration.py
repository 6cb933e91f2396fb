"""Migration matching 0005 keeps every match and derives its stage from its answers:
proposed stays proposed, active becomes "both agreed" since it was confirmed, declined
becomes "ended" with the reason "abgelehnt"; each gets the stage changes that implies.

The migrations run in a separate process on a throw-away SQLite file."""

import os
import subprocess
import sys
import textwrap

SCRIPT = textwrap.dedent('''
    import datetime
    import django
    django.setup()
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    def migrate(targets):
        MigrationExecutor(connection).migrate(targets)
        return MigrationExecutor(connection).loader.project_state(targets).apps

    old = migrate([("matching", "0004_programme_moved_to_programmes"), ("programmes", "0004_description_limit")])
    region = old.get_model("profiles", "Region").objects.get(name="Dresden")
    Organisation = old.get_model("profiles", "Organisation")
    a = Organisation.objects.create(key="a", kind="sme", name="A", region=region)
    b = Organisation.objects.create(key="b", kind="startup", name="B", region=region)
    programme = old.get_model("programmes", "Programme").objects.create(name="Alt", slug="alt")
    Match, Side = old.get_model("matching", "Match"), old.get_model("matching", "MatchSide")
    created = datetime.datetime(2026, 5, 1, tzinfo=datetime.timezone.utc)
    confirmed = datetime.datetime(2026, 5, 9, tzinfo=datetime.timezone.utc)
    ids = {}
    for status in ("proposed", "active", "declined"):
        match = Match.objects.create(programme=programme, status=status, created_at=created,
                                     confirmed_at=confirmed if status == "active" else None)
        Side.objects.create(match=match, organisation=a, answer="declined" if status == "declined" else "accepted",
                            answered_at=confirmed)
        Side.objects.create(match=match, organisation=b)
        ids[status] = match.pk

    new = migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Match, Change = new.get_model("matching", "Match"), new.get_model("matching", "StageChange")
    assert Match.objects.count() == 3
    stages = {status: Match.objects.get(pk=pk) for status, pk in ids.items()}
    assert stages["proposed"].stage == "proposed" and stages["proposed"].stage_changed_at == created
    assert stages["active"].stage == "agreed" and stages["active"].stage_changed_at == confirmed
    assert stages["declined"].stage == "ended" and stages["declined"].ended_reason == "abgelehnt"
    assert stages["declined"].stage_changed_at == confirmed
    flows = {status: list(Change.objects.filter(match_id=pk).order_by("changed_at", "pk")
                          .values_list("to_stage", flat=True)) for status, pk in ids.items()}
    assert flows == {"proposed": ["proposed"], "active": ["proposed", "agreed"],
                     "declined": ["proposed", "ended"]}, flows
    funded = new.get_model("programmes", "Programme").objects.get(slug="alt")
    assert str(funded.grant_per_match) == "2500.00" and funded.retention_months == 24
    print("stages derived")
''')


def test_existing_matches_get_stages_from_their_answers(tmp_path):
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "matchwerk.settings", "MATCHWERK_DATA_DIR": str(tmp_path),
           "MATCHWERK_DATABASE_URL": f"sqlite:///{tmp_path / 'old.sqlite3'}"}
    result = subprocess.run([sys.executable, "-c", SCRIPT], env=env, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stages derived" in result.stdout
