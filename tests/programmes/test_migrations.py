"""Moving Programme (to ``programmes``) and Consent (to ``privacy``) keeps existing rows:
a database migrated up to the old layout, filled, then migrated forward still has them,
and the programme's team starts with the matching team."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

# The layout before the move: Programme in matching, Consent in profiles.
OLD = [("matching", "0001_initial"), ("profiles", "0005_import_job"), ("programmes", None), ("privacy", None)]


def _migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True, serialized_rollback=True)  # seeded regions stay for later tests
def test_moving_programme_and_consent_keeps_rows():
    old = _migrate(OLD)
    User = old.get_model("accounts", "User")
    Region = old.get_model("profiles", "Region")
    Organisation = old.get_model("profiles", "Organisation")
    region = Region.objects.get(name="Dresden")
    team = User.objects.create(email="team@example.org", role="matching_team", is_active=True)
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

    new = _migrate(MigrationExecutor(connection).loader.graph.leaf_nodes())
    Programme = new.get_model("programmes", "Programme")
    moved = Programme.objects.get(slug="alt")
    assert moved.pk == programme.pk and list(moved.regions.values_list("name", flat=True)) == ["Dresden"]
    assert list(moved.team.values_list("email", flat=True)) == ["team@example.org"]
    suggestion = new.get_model("matching", "Suggestion").objects.get()
    assert suggestion.programme_id == moved.pk and suggestion.organisation_id == a.pk
    assert new.get_model("matching", "Match").objects.get().programme_id == moved.pk
    consent = new.get_model("privacy", "Consent").objects.get()
    assert (consent.user_id, consent.organisation_id, consent.purpose) == (member.pk, a.pk, "directory")
