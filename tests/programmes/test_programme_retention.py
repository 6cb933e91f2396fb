"""Retention: after a programme's retention period, exactly the participants without other
involvement are erased or anonymised; the report figures stay the same."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import translation
from django.utils import timezone
from factories import make_match, make_organisation, make_programme, make_user
from programme_report_world import report_world

from matchwerk.accounts.models import User
from matchwerk.accounts.services import ERASED_PERSON_NAME
from matchwerk.core.models import AccessLog
from matchwerk.events.models import Event, Registration
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import FollowUpAnswer, JournalEntry, Match, Milestone, StageChange
from matchwerk.profiles.models import Person
from matchwerk.programmes.grants.models import CostLine, Grant, ProofOfUse
from matchwerk.programmes.models import PeerMaterial, PeerSession
from matchwerk.programmes.reports.figures import programme_figures
from matchwerk.programmes.retention.models import RetentionRun
from matchwerk.programmes.retention.services import retention_apply, retention_ends_on, retention_sweep
from matchwerk.programmes.retention.tasks import retention_sweep_task

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german():
    """Messages and labels are asserted in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield


def _finished(world, *, months: int = 12):
    programme = world.programme
    programme.starts_on, programme.ends_on, programme.retention_months = date(2024, 1, 1), date(2024, 12, 31), months
    programme.save()
    return programme


def _tables(figures):
    return [(t.key, [list(map(str, row)) for row in t.rows]) for t in figures.tables]


def test_retention_ends_months_after_the_programme():
    world = report_world()
    programme = _finished(world, months=12)
    assert retention_ends_on(programme) == date(2025, 12, 31)
    assert retention_sweep(today=date(2025, 12, 30)) == []
    assert [run.programme for run in retention_sweep(today=date(2025, 12, 31))] == [programme]


def test_retention_erases_exactly_the_uninvolved_and_keeps_the_figures(settings, tmp_path,
                                                                      django_capture_on_commit_callbacks):
    settings.PEER_MATERIAL_ROOT = tmp_path
    world = report_world()
    programme = _finished(world)
    texts = _match_texts(world)
    # In the finished programme: the member of world.match (only there) goes; a person entry
    # without an account there is anonymised; the outsider's organisation also has a match in a
    # running programme (kept); a participant who acts for a second organisation outside any
    # finished programme is kept; one with an upcoming event registration is kept.
    gone = world.member
    unlinked = Person.objects.create(organisation=world.match.sides.first().organisation, name="Karla Kontakt",
                                     email="karla@example.org")
    running = make_programme(name="Läuft noch")
    outsider_org = world.other_match.sides.first().organisation
    make_match(outsider_org, make_organisation(kind="sme"), programme=running, stage=MatchStage.AGREED)
    busy = make_user(full_name="Bea Beschäftigt")
    make_match(make_organisation(owner=busy, kind="creative"), make_organisation(kind="sme"), programme=programme)
    make_organisation(owner=busy, kind="startup", name="Zweites Unternehmen")
    attending = make_user(full_name="Tom Teilnehmer")
    make_match(make_organisation(owner=attending, kind="creative"), make_organisation(kind="sme"),
               programme=programme)
    upcoming = Event.objects.get(title="Noch nicht")
    Registration.objects.create(event=upcoming, user=attending, name="Tom Teilnehmer", email=attending.email)
    before = _tables(programme_figures(programme=programme))
    stage_changes = StageChange.objects.filter(match__programme=programme).count()

    with django_capture_on_commit_callbacks(execute=True):  # the files go once the transaction commits
        run = retention_apply(programme=programme, today=date(2026, 1, 1))

    assert not User.objects.filter(pk=gone.pk).exists()
    assert set(User.objects.filter(pk__in=[world.outsider.pk, busy.pk, attending.pk]).values_list("pk", flat=True)) \
        == {world.outsider.pk, busy.pk, attending.pk}
    unlinked.refresh_from_db()
    assert (unlinked.name, unlinked.email) == (ERASED_PERSON_NAME, "")
    assert not Person.objects.filter(name__in=["Mia Mitglied", "Karla Kontakt"]).exists()
    assert Person.objects.filter(user=busy).count() == 2
    assert run.accounts_erased == 1
    assert AccessLog.objects.filter(action="matchwerk.programmes.retention.applied",
                                    data__accounts_erased=1).exists()
    assert AccessLog.objects.filter(action="matchwerk.accounts.account.erased").count() == 1
    assert _tables(programme_figures(programme=programme)) == before
    # the texts written in the programme's matches and sessions are gone; the counts stay
    assert list(JournalEntry.objects.filter(match__programme=programme).values_list("text", "author")) == [("", None)]
    answers = FollowUpAnswer.objects.filter(followup__match__programme=programme)
    assert sorted(answers.values_list("outcome", "still_cooperating")) == [("", False), ("", True), ("", True)]
    assert texts["session"].__class__.objects.get(pk=texts["session"].pk).notes == ""
    assert not PeerMaterial.objects.exists() and not texts["file"].exists()
    assert (run.journal_entries_erased, run.followup_answers_erased, run.peer_materials_deleted) == (1, 2, 1)
    assert JournalEntry.objects.get(match=texts["other_match"]).text == "Anderes Programm"
    # ideas, reasons, milestone and session titles, places, links and the grants' texts too
    matches = Match.objects.filter(programme=programme)
    assert set(matches.values_list("idea", "ended_reason")) == {("", "")}
    assert set(StageChange.objects.filter(match__programme=programme).values_list("note", "reason")) == {("", "")}
    assert StageChange.objects.filter(match__programme=programme).count() == stage_changes
    assert list(Milestone.objects.filter(match__programme=programme).values_list("title", "due_on", "created_by")) \
        == [("(gelöscht)", date(2024, 6, 30), None)]
    session = PeerSession.objects.get(pk=texts["session"].pk)
    assert (session.title, session.place, session.online_url, session.notes) == ("(gelöscht)", "", "", "")
    assert set(Grant.objects.filter(programme=programme).values_list("purpose", "staff_note")) == {("", "")}
    assert sorted(CostLine.objects.filter(grant__programme=programme).values_list("description", "amount")) == [
        ("(gelöscht)", Decimal("800.00")), ("(gelöscht)", Decimal("1200.00")), ("(gelöscht)", Decimal("2500.00"))]
    assert ProofOfUse.objects.get(grant__match=world.match).report == ""
    assert (run.match_texts_erased, run.milestones_erased, run.peer_sessions_erased, run.grant_texts_erased) \
        == (2, 1, 1, 2)
    other = Match.objects.get(pk=texts["other_match"].pk)
    assert (other.idea, Milestone.objects.get(match=other).title) == ("Ein anderes Vorhaben", "Anderer Meilenstein")


def _match_texts(world):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from matchwerk.programmes import services

    JournalEntry.objects.create(match=world.match, author=world.member, text="Mia hat angerufen.")
    other = make_match(programme=make_programme(name="Anderes"))
    JournalEntry.objects.create(match=other, text="Anderes Programm")
    Match.objects.filter(pk=world.match.pk).update(idea="Mia und Jan bauen einen Laden.")
    Match.objects.filter(programme=world.programme, stage=MatchStage.ENDED).update(ended_reason="Jan ist krank.")
    Match.objects.filter(pk=other.pk).update(idea="Ein anderes Vorhaben")
    StageChange.objects.filter(match=world.match).update(note="Mit Mia telefoniert.")
    Milestone.objects.create(match=world.match, title="Treffen bei Mia zu Hause", due_on=date(2024, 6, 30),
                             created_by=world.member)
    Milestone.objects.create(match=other, title="Anderer Meilenstein", due_on=date(2024, 6, 30))
    Grant.objects.filter(match=world.match).update(staff_note="Mia bitte anrufen.")
    ProofOfUse.objects.create(grant=world.match.grant, report="Mia hat den Laden eröffnet.")
    session = PeerSession.objects.create(programme=world.programme, title="Lernen bei Mia", place="Mias Küche",
                                         online_url="https://meet.example.org/mia-mueller",
                                         starts_at=timezone.now(), notes="Mia erzählte von ihrer Firma.")
    material = services.peer_material_add(actor=world.coordinator, session=session, title="Folien",
                                          file=SimpleUploadedFile("folien.pdf", b"%PDF-1.4"))
    return {"session": session, "file": Path(material.file.path), "other_match": other}


def test_retention_runs_once_and_not_before_its_time():
    world = report_world()
    programme = _finished(world)
    with pytest.raises(ValueError):
        retention_apply(programme=programme, today=date(2025, 6, 1))
    first = retention_apply(programme=programme, today=date(2026, 1, 1))
    assert retention_apply(programme=programme, today=date(2026, 1, 2)) == first
    assert RetentionRun.objects.count() == 1


def test_the_scheduled_task_applies_due_programmes(monkeypatch):
    world = report_world()
    programme = _finished(world)
    programme.ends_on = timezone.localdate() - timedelta(days=400)
    programme.save()
    assert retention_sweep_task.enqueue().return_value == 1
    assert RetentionRun.objects.filter(programme=programme).exists()
    assert retention_sweep_task.enqueue().return_value == 0
