"""Writes of the matching app: profile changes announced to matching, the team's
decisions, double opt-in, a match's stages (the one place that changes them:
``match_stage_change``). (Computing suggestions: ``recompute``; background work: ``tasks``.)"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone, translation

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.matching import selectors, tasks
from matchwerk.matching.engine_adapter import recompute_state
from matchwerk.matching.enums import Answer, MatchOrigin, MatchStage, MatchStatus, SuggestionStatus, stage_targets
from matchwerk.matching.models import (
    Decision, Match, MatchSide, ProfileChange, RecomputeState, StageChange, Suggestion,
)
from matchwerk.matching.reasons import render_all, topic_labels
from matchwerk.matching.rules import can_change_match, can_create_match, can_respond_to_match, can_review_suggestion
from matchwerk.programmes.models import Programme
from matchwerk.matching.recompute import programme_default, suggestions_recompute  # noqa: F401  (service API)
from matchwerk.profiles.models import Organisation

STALE_PENDING = timedelta(minutes=30)  # a pending mark older than this is re-enqueued (a lost task)


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def _set_pair_status(*, programme: Programme, a: int, b: int, status: str, until=None) -> None:
    Suggestion.objects.filter(programme=programme).filter(
        Q(organisation_id=a, partner_id=b) | Q(organisation_id=b, partner_id=a)
    ).update(status=status, snoozed_until=until)


def _decide(*, user, suggestion: Suggestion, kind: str, reason: str = "") -> Decision:
    if not can_review_suggestion.test(user, suggestion):
        raise PermissionDenied
    low, high = _pair(suggestion.organisation_id, suggestion.partner_id)
    decision = Decision(programme=suggestion.programme, low_id=low, high_id=high, kind=kind,
                        reason=reason.strip(), decided_by=user)
    decision.full_clean()
    decision.save()
    return decision


def suggestion_accept(*, user, suggestion: Suggestion) -> Match:
    """The team accepts: a proposed match is created and both organisations are asked."""
    with transaction.atomic():
        # Two team members accepting the same pair at once: both organisations are locked
        # (in id order, so no deadlock) before the check, so the second waits and then
        # sees the first one's match.
        list(Organisation.objects.select_for_update().filter(
            pk__in=[suggestion.organisation_id, suggestion.partner_id]).order_by("pk").values_list("pk"))
        if selectors.match_between(suggestion.organisation_id, suggestion.partner_id, programme=suggestion.programme):
            raise ValidationError("Diese beiden Organisationen haben bereits ein Match.")
        _decide(user=user, suggestion=suggestion, kind=Decision.Kind.ACCEPTED)
        now = timezone.now()
        match = Match.objects.create(
            programme=suggestion.programme, created_by=user, reasons=suggestion.reasons, origin=MatchOrigin.SUGGESTION,
            created_at=now, stage_changed_at=now,
            coordinator=default_coordinator(programme=suggestion.programme,
                                            organisation_ids=[suggestion.organisation_id, suggestion.partner_id]))
        MatchSide.objects.bulk_create([MatchSide(match=match, organisation_id=suggestion.organisation_id),
                                       MatchSide(match=match, organisation_id=suggestion.partner_id)])
        StageChange.objects.create(match=match, to_stage=MatchStage.PROPOSED, changed_by=user, changed_at=now)
        _set_pair_status(programme=suggestion.programme, a=suggestion.organisation_id, b=suggestion.partner_id,
                         status=SuggestionStatus.ACCEPTED)
        log_event("matchwerk.matching.match.proposed", match, actor=user)
        _mail_match_proposed(match=match)
    return match


def _mail_match_proposed(*, match: Match) -> int:
    """Ask both organisations of a proposed match for their consent: one mail per editor with
    an active account, in the recipient's language (queued with the match's transaction)."""
    sides = list(match.sides.select_related("organisation").prefetch_related("organisation__people__user"))
    url = settings.SITE_URL + reverse("matching:my_matches")
    queued = 0
    for side in sides:
        partner = next(s.organisation for s in sides if s.pk != side.pk)
        for person in side.organisation.people.all():
            if not person.can_edit or person.user is None or not person.user.is_active:
                continue
            with translation.override(person.user.language or None):  # reasons in the recipient's language
                reasons = render_all(match.reasons, topic_labels())
            mail_send(to=person.user.email, template="matching/mail/match_proposed", language=person.user.language,
                      context={"name": person.name, "organisation": side.organisation.name,
                               "partner": partner.name, "reasons": reasons, "url": url})
            queued += 1
    return queued


def suggestion_reject(*, user, suggestion: Suggestion, reason: str) -> Decision:
    """The team rejects the pair with a reason; it is never suggested again."""
    if not reason.strip():
        raise ValidationError("Bitte geben Sie einen Grund an.")
    with transaction.atomic():
        decision = _decide(user=user, suggestion=suggestion, kind=Decision.Kind.REJECTED, reason=reason)
        _set_pair_status(programme=suggestion.programme, a=suggestion.organisation_id, b=suggestion.partner_id,
                         status=SuggestionStatus.REJECTED)
    return decision


def suggestion_snooze(*, user, suggestion: Suggestion, days: int = 14) -> Decision:
    """Put the pair aside; it returns to the queue after ``days``."""
    if not 1 <= days <= 365:
        raise ValidationError("Zurückstellen geht für 1 bis 365 Tage.")
    with transaction.atomic():
        decision = _decide(user=user, suggestion=suggestion, kind=Decision.Kind.SNOOZED, reason=f"{days} Tage")
        _set_pair_status(programme=suggestion.programme, a=suggestion.organisation_id, b=suggestion.partner_id,
                         status=SuggestionStatus.SNOOZED, until=timezone.now() + timedelta(days=days))
    return decision


def match_respond(*, user, side: MatchSide, accept: bool) -> Match:
    """One organisation answers the invitation; the match is active when both agreed and
    declined as soon as one declines."""
    if not can_respond_to_match.test(user, side):
        raise PermissionDenied
    with transaction.atomic():
        side = MatchSide.objects.select_for_update().select_related("match").get(pk=side.pk)
        match = side.match
        if match.status != MatchStatus.PROPOSED:
            raise ValidationError("Über dieses Match ist bereits entschieden.")
        side.answer = Answer.ACCEPTED if accept else Answer.DECLINED
        side.answered_by, side.answered_at = user, timezone.now()
        side.save(update_fields=["answer", "answered_by", "answered_at"])
        answers = set(match.sides.values_list("answer", flat=True))
        # The answers move the stage through the one stage service (validated and logged
        # like every other move; the answering participant is recorded as who).
        if Answer.DECLINED in answers:
            match_stage_change(actor=user, match=match, stage=MatchStage.ENDED, reason="abgelehnt",
                               note="eine Seite hat abgelehnt", system=True)
        elif answers == {Answer.ACCEPTED}:
            match_stage_change(actor=user, match=match, stage=MatchStage.AGREED,
                               note="beide Seiten haben zugestimmt", system=True)
        match.refresh_from_db()
    return match


def match_create(*, actor, programme: Programme, organisations: list[Organisation], idea: str = "",
                 origin: str = MatchOrigin.MANUAL, coordinator=None, now=None) -> Match:
    """Staff create a match by hand (e.g. after a kick-off where two teams found each other)
    or from an event meeting: two or more organisations, stage "proposed"; the
    organisations may answer the invitation under "Meine Matches", or the coordinator
    moves the match to "both agreed" once they said yes in person."""
    if actor is not None and not can_create_match(actor, programme, organisations):
        raise PermissionDenied
    ids = sorted({organisation.pk for organisation in organisations})
    if len(ids) < 2:
        raise ValidationError("Ein Match braucht mindestens zwei verschiedene Organisationen.")
    if origin not in MatchOrigin.values:
        raise ValidationError("Unbekannte Herkunft.")
    now = now or timezone.now()
    with transaction.atomic():
        list(Organisation.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk"))
        if len(ids) == 2 and selectors.match_between(ids[0], ids[1], programme=programme):
            raise ValidationError("Diese beiden Organisationen haben bereits ein Match.")
        match = Match(programme=programme, created_by=actor, origin=origin, idea=idea.strip(), created_at=now,
                      stage_changed_at=now,
                      coordinator=coordinator or default_coordinator(programme=programme, organisation_ids=ids))
        match.full_clean(exclude=["reasons", "created_by"])  # no engine reasons; None = the command line
        match.save()
        MatchSide.objects.bulk_create([MatchSide(match=match, organisation_id=pk) for pk in ids])
        StageChange.objects.create(match=match, to_stage=MatchStage.PROPOSED, changed_by=actor, changed_at=now)
        log_event("matchwerk.matching.match.created", match, actor=actor, data={"origin": origin})
    return match


def default_coordinator(*, programme: Programme, organisation_ids: list[int]):
    """The programme's coordinator of the first organisation's region that has one
    (``ProgrammeCoordinator``), else None."""
    regions = list(Organisation.objects.filter(pk__in=organisation_ids).values_list("pk", "region_id"))
    by_pk = dict(regions)
    for organisation_id in organisation_ids:
        assignment = (programme.coordinators.filter(region_id=by_pk.get(organisation_id), user__is_active=True)
                      .order_by("pk").first())
        if assignment is not None:
            return assignment.user
    return None


def match_stage_change(*, actor, match: Match, stage: str, note: str = "", reason: str = "",
                       now=None, system: bool = False) -> StageChange:
    """Move ``match`` to ``stage``: the only place a match's stage changes.

    Checks that ``actor`` may accompany the match (``can_change_match``) unless ``system``
    is set — a move the platform makes as the consequence of another checked action (both
    sides said yes, a follow-up answer through its signed link); ``actor`` is then recorded
    as who caused it (or None for a task). Validates the move (``enums.stage_targets``: one
    step along the flow; "grant approved" before "in progress" when the programme funds
    matches, and no "grant approved" when it does not; "ended" from any stage, with a
    reason; nothing after "ended"). Moving a match whose sides were asked (origin
    "suggestion") to "both agreed" needs every side's yes. Records a :class:`StageChange`,
    writes the audit log, keeps ``status`` in step (agreed → active, ended before agreeing
    → declined). The match row is locked, so two moves at once cannot both pass the check.
    """
    if not system and (actor is None or not can_change_match.test(actor, match)):
        raise PermissionDenied
    now = now or timezone.now()
    note, reason = note.strip()[:500], reason.strip()[:300]
    with transaction.atomic():
        locked = Match.objects.select_for_update().select_related("programme").get(pk=match.pk)
        if stage not in MatchStage.values:
            raise ValidationError("Unbekannte Stufe.")
        if stage == locked.stage:
            raise ValidationError("Das Match ist bereits in dieser Stufe.")
        if stage not in stage_targets(locked.stage, funded=locked.programme.funds_matches):
            raise ValidationError(
                "Von „%(from)s“ geht es nicht nach „%(to)s“." % {"from": MatchStage(locked.stage).label,
                                                                   "to": MatchStage(stage).label})
        if stage == MatchStage.ENDED and not reason:
            raise ValidationError("Bitte geben Sie einen Grund für das Ende an.")
        if (stage == MatchStage.AGREED and locked.origin == MatchOrigin.SUGGESTION
                and locked.sides.exclude(answer=Answer.ACCEPTED).exists()):
            raise ValidationError("Beide Seiten müssen dem Match erst zustimmen.")
        previous = locked.stage
        locked.stage, locked.stage_changed_at = stage, now
        fields = ["stage", "stage_changed_at"]
        if stage == MatchStage.AGREED:
            locked.status, locked.confirmed_at = MatchStatus.ACTIVE, locked.confirmed_at or now
            fields += ["status", "confirmed_at"]
        elif stage == MatchStage.ENDED:
            locked.ended_reason = reason
            fields.append("ended_reason")
            if locked.status == MatchStatus.PROPOSED:
                locked.status = MatchStatus.DECLINED
                fields.append("status")
        locked.save(update_fields=fields)
        change = StageChange.objects.create(match=locked, from_stage=previous, to_stage=stage, changed_at=now,
                                            changed_by=actor if getattr(actor, "is_authenticated", False) else None,
                                            note=note, reason=reason)
        log_event("matchwerk.matching.match.stage_changed", locked, actor=actor,
                  data={"from": previous, "to": stage, "system": system})
        from matchwerk.api.webhooks import match_stage_emit

        match_stage_emit(change)
    for field in fields:  # the caller's instance shows the new state
        setattr(match, field, getattr(locked, field))
    return change


def organisation_changed(*, organisation_id: int) -> None:
    organisations_changed(organisation_ids=[organisation_id])


def organisations_changed(*, organisation_ids: list[int]) -> None:
    """Profiles changed (texts, topics, kind, region, consent or deletion): its
    suggestions and those naming it are marked stale, and one refresh is queued.

    Called by the profile services and the import (also through the signal
    ``profiles.signals.organisation_changed``). At most one refresh is pending: changes
    announced before it starts — an import of 200 rows, many edits — are merged into it.
    """
    ids = sorted(set(organisation_ids))
    if not ids:
        return
    ProfileChange.objects.bulk_create([ProfileChange(organisation_id=pk) for pk in ids], batch_size=500)
    for start in range(0, len(ids), 500):
        chunk = ids[start:start + 500]
        Suggestion.objects.filter(organisation_id__in=chunk, is_stale=False).update(is_stale=True)
        Suggestion.objects.filter(partner_id__in=chunk, is_stale=False).update(is_stale=True)
    request_refresh()


def request_refresh() -> bool:
    """Queue a refresh of the suggestions unless one is already pending (a database
    row, not process memory). Returns whether a task was queued."""
    recompute_state()
    now = timezone.now()
    claimed = RecomputeState.objects.filter(pk=1).filter(
        Q(pending=False) | Q(enqueued_at__lt=now - STALE_PENDING)).update(pending=True, enqueued_at=now)
    if claimed:
        transaction.on_commit(lambda: tasks.refresh_suggestions.enqueue())
    return bool(claimed)


# The accompaniment of a match and its follow-ups (they use ``match_stage_change`` above).
from matchwerk.matching.services.accompaniment import (  # noqa: E402
    journal_entry_add, match_idea_write, match_members, match_update, milestone_add, milestone_done,
    milestone_reminders_send,
)
from matchwerk.matching.services.followups import followup_answer, followups_send_due  # noqa: E402

__all__ = [
    "default_coordinator", "followup_answer", "followups_send_due", "journal_entry_add", "match_create",
    "match_idea_write", "match_members", "match_respond", "match_stage_change", "match_update", "milestone_add",
    "milestone_done", "milestone_reminders_send", "organisation_changed", "organisations_changed",
    "programme_default", "request_refresh", "suggestion_accept", "suggestion_reject", "suggestion_snooze",
    "suggestions_recompute",
]
