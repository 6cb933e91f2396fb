"""Writes of the matching app: recompute suggestions, the team's decisions, double opt-in."""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone

from matchwerk import permissions
from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.matching import selectors
from matchwerk.matching.engine_adapter import rank_organisations
from matchwerk.matching.enums import Answer, MatchStatus, SuggestionStatus
from matchwerk.matching.models import Decision, Match, MatchSide, Programme, Suggestion
from matchwerk.profiles.models import Organisation

SUGGESTIONS_PER_ORGANISATION = 10
# The engine is asked for more than we keep, so that filtering by programme rules and
# exclusions still leaves a full list.
ENGINE_TOP = 40


def programme_default() -> Programme:
    programme, _ = Programme.objects.get_or_create(
        slug="cross-innovation", defaults={"name": "Cross-Innovation"})
    return programme


def _pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a < b else (b, a)


def suggestions_recompute(*, programme: Programme) -> int:
    """Recompute the programme's suggestions from the engine; returns how many are stored.

    Only organisations that consented to matching take part (both sides). Pairs the team
    rejected and pairs that already form a match are excluded; kinds must form a pair the
    programme allows; scores are re-weighted by the outcomes of earlier decisions
    (:func:`selectors.kind_pair_weights`). Decisions already taken on a suggestion keep
    their status; open suggestions that dropped out are removed.
    """
    organisations = list(selectors.matching_pool(programme=programme))
    rankings = rank_organisations(organisations, top=ENGINE_TOP)
    by_id = {o.pk: o for o in organisations}
    excluded = selectors.excluded_pairs(programme=programme)
    weights = selectors.kind_pair_weights(programme=programme)
    fresh: dict[tuple[int, int], tuple[float, list]] = {}
    for query_id, ranking in rankings.items():
        organisation = by_id[query_id]
        kept = []
        for entry in ranking:
            partner = by_id.get(entry["id"])
            if partner is None or partner.pk == query_id or _pair(query_id, partner.pk) in excluded:
                continue
            if not programme.allows(organisation.kind, partner.kind):
                continue
            weight = weights.get(frozenset((organisation.kind, partner.kind)), 1.0)
            kept.append((min(1.0, entry["score"] * weight), partner.pk, entry.get("reasons", [])))
        kept.sort(key=lambda item: (-item[0], item[1]))
        for score, partner_id, reasons in kept[:SUGGESTIONS_PER_ORGANISATION]:
            fresh[(query_id, partner_id)] = (score, reasons)

    now = timezone.now()
    with transaction.atomic():
        existing = {(s.organisation_id, s.partner_id): s
                    for s in Suggestion.objects.select_for_update().filter(programme=programme)}
        ranks: dict[int, int] = {}
        to_create, to_update, to_delete = [], [], []
        for (org_id, partner_id), (score, reasons) in sorted(fresh.items(), key=lambda kv: (kv[0][0], -kv[1][0])):
            ranks[org_id] = ranks.get(org_id, 0) + 1
            current = existing.pop((org_id, partner_id), None)
            if current is None:
                to_create.append(Suggestion(programme=programme, organisation_id=org_id, partner_id=partner_id,
                                            score=score, rank=ranks[org_id], reasons=reasons, computed_at=now))
            else:
                current.score, current.rank, current.reasons, current.computed_at = score, ranks[org_id], reasons, now
                to_update.append(current)
        for suggestion in existing.values():
            if suggestion.status == SuggestionStatus.OPEN:
                to_delete.append(suggestion.pk)
        Suggestion.objects.filter(pk__in=to_delete).delete()
        Suggestion.objects.bulk_update(to_update, ["score", "rank", "reasons", "computed_at"], batch_size=500)
        Suggestion.objects.bulk_create(to_create, batch_size=500)
    return len(fresh)


def _set_pair_status(*, programme: Programme, a: int, b: int, status: str, until=None) -> None:
    Suggestion.objects.filter(programme=programme).filter(
        Q(organisation_id=a, partner_id=b) | Q(organisation_id=b, partner_id=a)
    ).update(status=status, snoozed_until=until)


def _decide(*, user, suggestion: Suggestion, kind: str, reason: str = "") -> Decision:
    if not permissions.can_review_suggestions(user, suggestion.programme):
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
            mail_send(to=person.user.email, template="matching/mail/match_proposed", language=person.user.language,
                      context={"name": person.name, "organisation": side.organisation.name,
                               "partner": partner.name, "reasons": [str(r) for r in match.reasons or []],
                               "url": url})
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
    if not permissions.can_respond_to_match(user, side):
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


def _enqueue_recompute() -> None:
    from matchwerk.matching.tasks import recompute_suggestions

    recompute_suggestions.enqueue()


_enqueue_recompute.matchwerk_recompute = True  # marks the callback, see organisation_changed


def organisation_changed(*, organisation_id: int) -> None:
    """A profile changed: recompute suggestions in the background (never in the request).

    Many changes in one transaction (an import of 200 rows) enqueue one recompute.
    """
    connection = transaction.get_connection()
    if any(getattr(entry[1], "matchwerk_recompute", False) for entry in connection.run_on_commit):
        return
    transaction.on_commit(_enqueue_recompute)
