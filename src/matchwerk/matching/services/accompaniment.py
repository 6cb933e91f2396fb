"""Writes of a match's accompaniment: its idea and coordinator, the journal, milestones
and their reminder mails."""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from matchwerk.accounts.rules import is_network_staff
from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match, Milestone
from matchwerk.matching.rules import can_change_match, can_write_journal


def match_members(match: Match) -> list[dict]:
    """Who a match's mails go to: the people of every side marked as contact or allowed to
    edit, with an address (the account's, else the person's), once per address."""
    seen, members = set(), []
    for side in match.sides.select_related("organisation").prefetch_related("organisation__people__user"):
        for person in side.organisation.people.all():
            if not (person.is_contact or person.can_edit):
                continue
            user = person.user if person.user is not None and person.user.is_active else None
            email = (user.email if user else person.email or "").strip()
            if not email or email.lower() in seen:
                continue
            seen.add(email.lower())
            members.append({"person": person, "organisation": side.organisation, "email": email,
                            "name": person.name, "language": user.language if user else ""})
    return members


def match_update(*, actor, match: Match, idea: str | None = None, coordinator=...) -> Match:
    """Staff edit the match's idea and goal statement and its coordinator."""
    if not can_change_match.test(actor, match):
        raise PermissionDenied
    fields = []
    if idea is not None:
        match.idea = idea.strip()
        fields.append("idea")
    if coordinator is not ...:
        if coordinator is not None and not is_network_staff.test(coordinator):
            raise ValidationError("Koordinator·in muss zum Netzwerk-Team gehören.")
        match.coordinator = coordinator
        fields.append("coordinator")
    match.full_clean(exclude=["reasons", "created_by"])
    with transaction.atomic():
        match.save(update_fields=fields)
        log_event("matchwerk.matching.match.updated", match, actor=actor, data={"fields": fields})
    return match


def match_idea_write(*, actor, match: Match, idea: str) -> Match:
    """The match writes its own idea and goal statement (members and staff)."""
    if not can_write_journal.test(actor, match):
        raise PermissionDenied
    match.idea = idea.strip()
    match.full_clean(exclude=["reasons", "created_by"])
    match.save(update_fields=["idea"])
    log_event("matchwerk.matching.match.idea_written", match, actor=actor)
    return match


def journal_entry_add(*, actor, match: Match, text: str, visibility: str = JournalEntry.Visibility.MATCH,
                      now: datetime | None = None) -> JournalEntry:
    """A note in the match's journal. Members write notes visible to the match; staff
    choose, and staff-only notes are never shown to the members."""
    if not can_write_journal.test(actor, match):
        raise PermissionDenied
    if visibility == JournalEntry.Visibility.STAFF and not can_change_match.test(actor, match):
        raise PermissionDenied
    entry = JournalEntry(match=match, author=actor, text=text.strip(), visibility=visibility,
                         written_at=now or timezone.now())
    entry.full_clean()
    entry.save()
    return entry


def milestone_add(*, actor, match: Match, title: str, due_on: date) -> Milestone:
    if not can_write_journal.test(actor, match):
        raise PermissionDenied
    milestone = Milestone(match=match, title=title.strip(), due_on=due_on, created_by=actor)
    milestone.full_clean()
    milestone.save()
    return milestone


def milestone_done(*, actor, milestone: Milestone, done: bool = True, now: datetime | None = None) -> Milestone:
    if not can_write_journal.test(actor, milestone.match):
        raise PermissionDenied
    milestone.done_at = (now or timezone.now()) if done else None
    milestone.save(update_fields=["done_at"])
    return milestone


def milestone_reminders_send(*, now: datetime | None = None) -> int:
    """One reminder mail per due, open milestone of a match that is not ended, to its
    members and its coordinator. The milestone is claimed (``reminded_at``) by one
    conditional update in the transaction that queues the mails: a second run — or a
    second worker — sends nothing. Returns the number of milestones reminded."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    due = (Milestone.objects.filter(done_at__isnull=True, reminded_at__isnull=True, due_on__lte=today)
           .exclude(match__stage=MatchStage.ENDED).select_related("match", "match__coordinator"))
    reminded = 0
    for milestone in due:
        with transaction.atomic():
            if not Milestone.objects.filter(pk=milestone.pk, reminded_at__isnull=True).update(reminded_at=now):
                continue
            url = settings.SITE_URL + reverse("matching:match_detail", args=[milestone.match_id])
            recipients = [(m["email"], m["name"], m["language"]) for m in match_members(milestone.match)]
            coordinator = milestone.match.coordinator
            if coordinator is not None and coordinator.is_active:
                recipients.append((coordinator.email, coordinator.get_full_name(), coordinator.language))
            for email, name, language in recipients:
                mail_send(to=email, template="matching/mail/milestone_due", language=language,
                          context={"name": name, "title": milestone.title, "due_on": milestone.due_on.strftime("%d.%m.%Y"),
                                   "match": str(milestone.match), "url": url})
            log_event("matchwerk.matching.milestone.reminded", milestone, data={"recipients": len(recipients)})
            reminded += 1
    return reminded
