"""Writes of the matching app: profile changes announced to matching, the team's
decisions, double opt-in. (Computing suggestions: ``recompute``; background work: ``tasks``.)"""

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
from matchwerk.matching.enums import Answer, MatchStatus, SuggestionStatus
from matchwerk.matching.models import Decision, Match, MatchSide, ProfileChange, RecomputeState, Suggestion
from matchwerk.matching.reasons import render_all, topic_labels
from matchwerk.matching.rules import can_respond_to_match, can_review_suggestion
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
        match = Match.objects.create(programme=suggestion.programme, created_by=user, reasons=suggestion.reasons)
        MatchSide.objects.bulk_create([MatchSide(match=match, organisation_id=suggestion.organisation_id),
                                       MatchSide(match=match, organisation_id=suggestion.partner_id)])
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
        if Answer.DECLINED in answers:
            match.status = MatchStatus.DECLINED
        elif answers == {Answer.ACCEPTED}:
            match.status, match.confirmed_at = MatchStatus.ACTIVE, timezone.now()
        match.save(update_fields=["status", "confirmed_at"])
    return match


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
