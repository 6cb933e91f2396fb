"""``retention_apply``: erase or anonymise the personal data of a programme's participants
once its retention period has passed; ``retention_sweep``: do it for every programme due.

A participant is a person entry (``profiles.Person``) of an organisation with a match in
the programme. She is **kept** when she is involved elsewhere:

- her organisation has a match in another programme whose retention has not passed, or
- her account acts for an organisation that is not such a finished-programme-only one, or
- her account is a staff account, or it holds a registration for an event that has not ended.

Accounts of the others are erased with ``accounts.services.user_erase`` (the one GDPR
erasure service: person entries anonymised, access log scrubbed, account deleted); person
entries without an account are anonymised the same way. The receipts of the programme's
grants (files that may name people) are deleted; every amount stays.

The free texts written in the programme go too, for every match of the programme (they
belong to the finished programme, whoever wrote them, and may name or describe people):
journal entries are emptied (their author removed; date and visibility stay), follow-up
answers lose their free text and the person who answered (whether the match still works
together stays: the reports count it), the matches lose their idea statement and the
reason they ended, the stage log its notes and reasons (stages and dates stay), milestones
their title (``ERASED_TEXT``; due and done dates stay), the peer-learning sessions their
title, place, online link, shared notes and material (files deleted; date and attendance
stay), and the grants their purpose, the coordination's notes, the cost lines' wording and
the proof of use's report (amounts, dates, statuses and payment references stay). Report
figures count none of these texts, so they stay the same.
"""

from __future__ import annotations

import calendar
from datetime import date

from django.db import transaction
from django.utils import timezone

from matchwerk.accounts.enums import Role
from matchwerk.accounts.services import ERASED_PERSON_NAME, user_erase
from matchwerk.core.audit import log_event
from matchwerk.matching.models import FollowUpAnswer, JournalEntry, Match, MatchSide, Milestone, StageChange
from matchwerk.profiles.models import Person
from matchwerk.programmes.grants.models import CostLine, Grant, ProofOfUse, Receipt
from matchwerk.programmes.models import PeerMaterial, PeerSession, Programme
from matchwerk.programmes.retention.models import RetentionRun


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year, month = day.year + month // 12, month % 12 + 1
    return day.replace(year=year, month=month, day=min(day.day, calendar.monthrange(year, month)[1]))


def retention_ends_on(programme) -> date | None:
    """The first day on which the programme's participants' data may go (None: no end set)."""
    if programme.ends_on is None:
        return None
    return _add_months(programme.ends_on, programme.retention_months)


def retention_passed(programme, today: date) -> bool:
    ends = retention_ends_on(programme)
    return ends is not None and ends <= today


def programmes_due(*, today: date):
    return [programme for programme in Programme.objects.filter(ends_on__isnull=False, retention_run__isnull=True)
            if retention_passed(programme, today)]


def _still_running_programme_ids(today: date) -> list[int]:
    return [p.pk for p in Programme.objects.all() if not retention_passed(p, today)]


def _user_is_busy(user, finished_org_ids: set[int], now) -> bool:
    from matchwerk.events.enums import RegistrationStatus
    from matchwerk.events.models import Registration

    if user.is_superuser or user.is_staff or user.role != Role.PARTICIPANT:
        return True
    acted_for = set(Person.objects.filter(user=user).values_list("organisation_id", flat=True))
    if acted_for - finished_org_ids:
        return True
    return Registration.objects.filter(
        user=user, event__ends_at__gte=now,
        status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED, RegistrationStatus.INVITED],
    ).exists()


def retention_apply(*, programme, today: date | None = None) -> RetentionRun:
    """Apply the programme's retention (once; a second call returns the first run)."""
    today = today or timezone.localdate()
    now = timezone.now()
    if not retention_passed(programme, today):
        raise ValueError(f"the retention period of {programme} has not passed")
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=programme.pk)
        existing = RetentionRun.objects.filter(programme=programme).first()
        if existing is not None:
            return existing
        org_ids = set(MatchSide.objects.filter(match__programme=programme).values_list("organisation_id", flat=True))
        busy_orgs = set(MatchSide.objects.filter(
            organisation_id__in=org_ids, match__programme_id__in=_still_running_programme_ids(today),
        ).exclude(match__programme=programme).values_list("organisation_id", flat=True))
        finished = org_ids - busy_orgs
        persons = Person.objects.filter(organisation_id__in=finished).select_related("user")
        users = {person.user for person in persons if person.user_id is not None}
        kept_users = {user for user in users if _user_is_busy(user, finished, now)}
        erased = 0
        for user in sorted(users - kept_users, key=lambda u: u.pk):
            user_erase(user=user)
            erased += 1
        kept_persons = Person.objects.filter(organisation_id__in=finished, user__in=kept_users).count()
        anonymised = Person.objects.filter(organisation_id__in=finished, user__isnull=True).exclude(
            name=ERASED_PERSON_NAME).update(name=ERASED_PERSON_NAME, email="", phone="", position="",
                                            is_contact=False, can_edit=False)
        receipts = list(Receipt.objects.filter(proof__grant__programme=programme))
        names = [receipt.file.name for receipt in receipts]
        Receipt.objects.filter(pk__in=[receipt.pk for receipt in receipts]).delete()
        storage = Receipt._meta.get_field("file").storage
        transaction.on_commit(lambda: [storage.delete(name) for name in names])
        kept_persons += Person.objects.filter(organisation_id__in=busy_orgs).count()
        texts = _match_texts_erase(programme)
        run = RetentionRun.objects.create(programme=programme, accounts_erased=erased, persons_anonymised=anonymised,
                                          persons_kept=kept_persons, receipts_deleted=len(receipts), **texts)
        log_event("matchwerk.programmes.retention.applied", programme,
                  {"accounts_erased": erased, "persons_anonymised": anonymised, "persons_kept": run.persons_kept,
                   "receipts_deleted": len(receipts), **texts,
                   "retention_ended_on": retention_ends_on(programme).isoformat()})
    return run


def retention_sweep(*, today: date | None = None) -> list[RetentionRun]:
    """Apply the retention of every programme that is due (the scheduled task)."""
    today = today or timezone.localdate()
    return [retention_apply(programme=programme, today=today) for programme in programmes_due(today=today)]


# Stands in for a required text that is erased (a milestone's or a session's title, a cost line).
ERASED_TEXT = "(gelöscht)"


def _match_texts_erase(programme) -> dict[str, int]:
    """Empty the free texts written in the programme's matches, grants and sessions (inside
    the caller's transaction; material files are deleted once it commits). Free text may
    name or describe people whoever wrote it; what the reports count (stages and their
    dates, due dates and done dates, amounts, attendance, "still working together") stays."""
    journal = JournalEntry.objects.filter(match__programme=programme).exclude(text="", author=None)
    journal_erased = journal.update(text="", author=None)
    answers = FollowUpAnswer.objects.filter(followup__match__programme=programme).exclude(outcome="", person=None)
    answers_erased = answers.update(outcome="", person=None, organisation=None)
    matches = Match.objects.filter(programme=programme)
    match_texts = matches.exclude(idea="", ended_reason="").update(idea="", ended_reason="")
    StageChange.objects.filter(match__programme=programme).exclude(note="", reason="").update(note="", reason="")
    milestones = Milestone.objects.filter(match__programme=programme).exclude(title=ERASED_TEXT, created_by=None)
    milestones_erased = milestones.update(title=ERASED_TEXT, created_by=None)
    sessions = PeerSession.objects.filter(programme=programme).exclude(
        title=ERASED_TEXT, place="", online_url="", notes="")
    sessions_erased = sessions.update(title=ERASED_TEXT, place="", online_url="", notes="")
    materials = list(PeerMaterial.objects.filter(session__programme=programme))
    names = [material.file.name for material in materials if material.file]
    PeerMaterial.objects.filter(pk__in=[material.pk for material in materials]).delete()
    storage = PeerMaterial._meta.get_field("file").storage
    transaction.on_commit(lambda: [storage.delete(name) for name in names])
    return {"journal_entries_erased": journal_erased, "followup_answers_erased": answers_erased,
            "peer_materials_deleted": len(materials), "match_texts_erased": match_texts,
            "milestones_erased": milestones_erased, "peer_sessions_erased": sessions_erased,
            "grant_texts_erased": _grant_texts_erase(programme)}


def _grant_texts_erase(programme) -> int:
    """The grants' free texts: purpose, the coordination's notes, the cost lines' wording and
    the proof of use's short report (amounts, dates, statuses and payment references stay)."""
    grants = Grant.objects.filter(programme=programme)
    erased = grants.exclude(purpose="", staff_note="").update(purpose="", staff_note="")
    CostLine.objects.filter(grant__programme=programme).exclude(description=ERASED_TEXT).update(
        description=ERASED_TEXT)
    ProofOfUse.objects.filter(grant__programme=programme).exclude(report="", check_note="").update(
        report="", check_note="")
    return erased
