"""Follow-up check-ins: 3, 6 and 12 months after a match was completed its members are
asked "Do you still work together? What came out of it?" through a signed link (no login);
a reminder goes out 14 days after a check-in nobody answered.

Why counted from completion: the funded phase ends there, and the stages "still
cooperating after 6/12 months" are about what lasts after it (docs/programmes.md).

Exactly once: a round is a ``FollowUp`` row, unique per (match, month, kind), created in
the transaction that queues its mails (the mail queue lives in the same database). A second
run, a restarted worker or two workers at once find the row (or lose the insert) and send
nothing. Time is a parameter (``now``), so tests travel through a year.
"""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Exists, Max, OuterRef
from django.urls import reverse
from django.utils import timezone

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.matching.enums import MatchStage, stage_targets
from matchwerk.matching.models import FollowUp, FollowUpAnswer, Match, StageChange
from matchwerk.matching.services.accompaniment import match_members

FOLLOWUP_MONTHS = (3, 6, 12)
REMINDER_AFTER = timedelta(days=14)
LINK_MAX_AGE = timedelta(days=120)
SALT = "matchwerk.matching.followup"
# Stages in which a completed match is followed up.
FOLLOWED_STAGES = (MatchStage.COMPLETED, MatchStage.COOPERATING_6, MatchStage.COOPERATING_12)
# The stage a "yes, we still work together" moves to, per check-in month.
YES_STAGE = {6: MatchStage.COOPERATING_6, 12: MatchStage.COOPERATING_12}


def add_months(moment: datetime, months: int) -> datetime:
    """The same day ``months`` later (the month's last day when it is shorter)."""
    month = moment.month - 1 + months
    year, month = moment.year + month // 12, month % 12 + 1
    return moment.replace(year=year, month=month, day=min(moment.day, calendar.monthrange(year, month)[1]))


def followup_token(*, followup: FollowUp, person_id: int) -> str:
    return signing.dumps({"f": followup.pk, "p": person_id}, salt=SALT, compress=True)


def followup_from_token(token: str) -> tuple[FollowUp, int]:
    """The check-in and the person a link was made for; ``ValidationError`` when the link is
    forged, expired or its check-in is gone."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_MAX_AGE)
        followup = FollowUp.objects.select_related("match", "match__programme").get(
            pk=int(data["f"]), kind=FollowUp.Kind.CHECKIN)
        return followup, int(data["p"])
    except (signing.BadSignature, KeyError, TypeError, ValueError, FollowUp.DoesNotExist):
        raise ValidationError("Dieser Link ist ungültig oder abgelaufen.") from None


def completion_dates(matches=None) -> dict[int, datetime]:
    """When each followed-up match was completed (its last move to "completed")."""
    changes = StageChange.objects.filter(to_stage=MatchStage.COMPLETED)
    if matches is not None:
        changes = changes.filter(match__in=matches)
    return dict(changes.values("match_id").annotate(at=Max("changed_at")).values_list("match_id", "at"))


def _send_round(*, followup: FollowUp, checkin: FollowUp, kind: str) -> int:
    members = match_members(followup.match)
    for member in members:
        url = settings.SITE_URL + reverse("matching:followup_answer", args=[
            followup_token(followup=checkin, person_id=member["person"].pk)])
        mail_send(to=member["email"], template=f"matching/mail/followup_{kind}", language=member["language"],
                  context={"name": member["name"], "organisation": member["organisation"].name,
                           "match": str(followup.match), "months": checkin.month, "url": url})
    return len(members)


def _create_round(*, match: Match, month: int, kind: str, due_at, now, skipped: bool = False,
                  checkin: FollowUp | None = None) -> FollowUp | None:
    """Create the round's row and queue its mails in one transaction; None when the row
    exists already (sent before, or by a concurrent run)."""
    try:
        with transaction.atomic():
            followup = FollowUp.objects.create(match=match, month=month, kind=kind, due_at=due_at,
                                               skipped=skipped, sent_at=None if skipped else now)
            if not skipped:
                followup.recipients = _send_round(followup=followup, checkin=checkin or followup, kind=kind)
                followup.save(update_fields=["recipients"])
                log_event(f"matchwerk.matching.followup.{'sent' if kind == FollowUp.Kind.CHECKIN else 'reminded'}",
                          match, data={"month": month, "recipients": followup.recipients})
            return followup
    except IntegrityError:
        return None


def followups_send_due(*, now: datetime | None = None) -> int:
    """Send every check-in and reminder that is due at ``now`` and was not sent yet.
    Returns the number of rounds sent (rounds recorded as skipped are not counted)."""
    now = now or timezone.now()
    matches = {match.pk: match for match in Match.objects.filter(stage__in=FOLLOWED_STAGES)
               .select_related("programme")}
    completed = completion_dates(list(matches))
    done = set(FollowUp.objects.filter(match_id__in=list(matches)).values_list("match_id", "month", "kind"))
    sent = 0
    for match_id, completed_at in completed.items():
        due = [month for month in FOLLOWUP_MONTHS if add_months(completed_at, month) <= now]
        for month in due:
            if (match_id, month, FollowUp.Kind.CHECKIN) in done:
                continue
            latest = month == due[-1]
            if _create_round(match=matches[match_id], month=month, kind=FollowUp.Kind.CHECKIN, now=now,
                             due_at=add_months(completed_at, month), skipped=not latest) and latest:
                sent += 1
    # A reminder for a check-in nobody answered in 14 days, unless a later check-in has
    # already gone out (that one is asked instead).
    later = FollowUp.objects.filter(match=OuterRef("match"), kind=FollowUp.Kind.CHECKIN, month__gt=OuterRef("month"))
    unanswered = (FollowUp.objects.filter(kind=FollowUp.Kind.CHECKIN, skipped=False, sent_at__lte=now - REMINDER_AFTER,
                                          answers__isnull=True, match__stage__in=FOLLOWED_STAGES)
                  .filter(~Exists(later)).select_related("match"))
    for checkin in unanswered:
        if (checkin.match_id, checkin.month, FollowUp.Kind.REMINDER) in done:
            continue
        if _create_round(match=checkin.match, month=checkin.month, kind=FollowUp.Kind.REMINDER, now=now,
                         due_at=checkin.sent_at + REMINDER_AFTER, checkin=checkin):
            sent += 1
    return sent


def followup_answer(*, token: str, still_cooperating: bool, outcome: str = "",
                    now: datetime | None = None) -> FollowUpAnswer:
    """Record a member's answer (a second answer of the same person replaces the first)
    and move the match: "yes" at 6 or 12 months → "still cooperating after 6/12 months";
    "no" ends the match unless another member said yes to the same check-in."""
    from matchwerk.matching.services import match_stage_change
    from matchwerk.profiles.models import Person

    followup, person_id = followup_from_token(token)
    person = Person.objects.select_related("user", "organisation").filter(pk=person_id).first()
    if person is None or not followup.match.sides.filter(organisation_id=person.organisation_id).exists():
        raise ValidationError("Dieser Link ist ungültig oder abgelaufen.")
    now = now or timezone.now()
    with transaction.atomic():
        answer, _created = FollowUpAnswer.objects.update_or_create(
            followup=followup, person=person,
            defaults={"organisation": person.organisation, "still_cooperating": still_cooperating,
                      "outcome": outcome.strip(), "answered_at": now})
        answer.full_clean()
        match = Match.objects.select_related("programme").get(pk=followup.match_id)
        actor = person.user if person.user is not None and person.user.is_active else None
        note = f"Rückmeldung nach {followup.month} Monaten"
        if still_cooperating:
            target = YES_STAGE.get(followup.month)
            if target and target in stage_targets(match.stage, funded=match.programme.funds_matches):
                match_stage_change(actor=actor, match=match, stage=target, note=note, now=now, system=True)
        elif match.stage != MatchStage.ENDED and not followup.answers.filter(still_cooperating=True).exists():
            match_stage_change(actor=actor, match=match, stage=MatchStage.ENDED, now=now, system=True, note=note,
                               reason="arbeiten laut Rückmeldung nicht mehr zusammen")
        log_event("matchwerk.matching.followup.answered", match, actor=actor,
                  data={"month": followup.month, "still_cooperating": still_cooperating})
    return answer
