"""Composition of events (issue #9, item 4): rules per organisation kind, series of events,
and "propose participants" — the engine's ``compose`` over one event or every event of a
series at once — then staff adjust the proposal and invite.

The candidates are organisations of the rules' kinds in the events' regions that have a
person with an (active) account to invite. Whoever is already
there (invited, registered, waiting, or added to the proposal by hand) counts towards the
rules and is not proposed again; over a series nobody is proposed for a second event of
the series unless staff allow repeats (then every event is composed on its own, avoiding pairs of
organisations that meet at another event of the series).
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import ACTIVE_REGISTRATION_STATUSES, CandidateStatus, EventStatus
from matchwerk.events.models import Candidate, Event, EventSeries, KindRule, Registration
from matchwerk.events.services.registrations import registration_invite
from matchwerk.events.services.sessions import organisation_scores
from matchwerk.profiles.models import Organisation, Person

OPEN_STATUSES = (EventStatus.DRAFT, EventStatus.PUBLISHED)
PARTNERS_SHOWN = 3
# With repeats allowed, two organisations that already meet at another event of the series
# should not meet again: their affinity becomes this penalty.
REPEATED_PAIR = -1.0


def kind_rule_set(*, actor, event: Event, kind: str, minimum: int, maximum: int) -> KindRule:
    """Add or change the rule for one kind of organisation (e.g. startups 2–3)."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    rule = KindRule.objects.filter(event=event, kind=kind).first() or KindRule(event=event, kind=kind)
    rule.minimum, rule.maximum = minimum, maximum
    if minimum is None or maximum is None or minimum < 0 or maximum < max(minimum, 1):
        raise ValidationError({"maximum": _("„höchstens“ muss mindestens 1 und nicht kleiner als „mindestens“ "
                                            "sein.")})
    rule.full_clean(validate_unique=False, validate_constraints=False)
    rule.save()
    log_event("matchwerk.events.kind_rule.saved", event, {"kind": kind, "minimum": minimum, "maximum": maximum},
              actor=actor)
    return rule


def kind_rule_delete(*, actor, rule: KindRule) -> None:
    if not rules.can_edit_event(actor, rule.event):
        raise PermissionDenied
    log_event("matchwerk.events.kind_rule.deleted", rule.event, {"kind": rule.kind}, actor=actor)
    rule.delete()


def event_series_set(*, actor, event: Event, series: EventSeries | None = None, title: str = "") -> EventSeries | None:
    """Put the event into an existing series, into a new one named ``title``, or (neither
    given) out of its series."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if series is not None and series.pk != event.series_id:
        from matchwerk.events.selectors import series_for_staff

        if not series_for_staff(user=actor).filter(pk=series.pk).exists():
            raise PermissionDenied
    title = title.strip()
    if series is None and title:
        series = EventSeries.objects.create(title=title[:200], created_by=actor)
    event.series = series
    event.save(update_fields=["series", "updated_at"])
    log_event("matchwerk.events.event.series_set", event, {"series": series.pk if series else None}, actor=actor)
    return series


def _contacts(organisation_ids) -> dict[int, object]:
    """Organisation → the account to invite: a contact person first."""
    contacts: dict[int, object] = {}
    for person in Person.objects.filter(organisation_id__in=organisation_ids, user__is_active=True).select_related(
            "user").order_by("-is_contact", "pk"):
        contacts.setdefault(person.organisation_id, person.user)
    return contacts


def _present(events: list[Event]) -> dict[int, dict[int, str]]:
    """Event → {organisation: kind} of those already there: active registrations and
    candidates invited or added by hand."""
    present: dict[int, dict[int, str]] = {e.pk: {} for e in events}
    for event_id, org_id, kind in Registration.objects.filter(
            event__in=events, status__in=ACTIVE_REGISTRATION_STATUSES, organisation__isnull=False,
    ).values_list("event_id", "organisation_id", "organisation__kind"):
        present[event_id][org_id] = kind
    for event_id, org_id, kind in Candidate.objects.filter(event__in=events).exclude(
            status=CandidateStatus.PROPOSED, by_hand=False).values_list("event_id", "organisation_id",
                                                                        "organisation__kind"):
        present[event_id][org_id] = kind
    return present


@dataclass(frozen=True)
class CompositionOutcome:
    events: int
    proposed: int
    objective: float
    bound: float


def _size(event: Event, present: dict[int, str]) -> dict[str, list[int]]:
    here = Counter(present.values())
    return {rule.kind: [max(0, rule.minimum - here[rule.kind]), max(0, rule.maximum - here[rule.kind])]
            for rule in event.kind_rules.all()}


def _pairs(groups) -> set[tuple[int, int]]:
    return {(min(a, b), max(a, b)) for group in groups for a in group for b in group if a != b}


def _compose(events: list[Event], pool: list[Organisation], present: dict[int, dict[int, str]],
             time_limit: float, met: set[tuple[int, int]] = frozenset()) -> tuple[dict[int, list[int]], float, float]:
    from matchwerk.engine import compose  # scipy's optimiser loads when events are composed, not at start-up

    ids = {o.pk for o in pool}
    scores = organisation_scores(ids)
    scores.update({pair: REPEATED_PAIR for pair in met if pair[0] in ids and pair[1] in ids})
    result = compose.run({
        "participants": [{"id": str(o.pk), "kind": o.kind} for o in pool],
        "affinity": [{"a": str(a), "b": str(b), "score": s} for (a, b), s in scores.items()],
        "events": [{"id": str(e.pk), "size": _size(e, present[e.pk])} for e in events],
        "time_limit": time_limit,
    })
    chosen = {e.pk: [int(o) for o in result["events"].get(str(e.pk), [])] for e in events}
    return chosen, result["objective"], result["bound"]


def participants_propose(*, actor, event: Event, whole_series: bool = False, allow_repeats: bool = False,
                         time_limit: float = 2.0) -> CompositionOutcome:
    """Propose whom to invite to ``event`` (or to every open event of its series that the
    actor may edit) under the events' kind rules, with the matching suggestions as
    affinities. Replaces the earlier proposal (what was invited or added by hand stays)."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if whole_series and event.series_id is None:
        raise ValidationError(_("Diese Veranstaltung gehört zu keiner Reihe."))
    series_events = list(Event.objects.filter(series_id=event.series_id)) if event.series_id else [event]
    targets = [e for e in series_events if e.status in OPEN_STATUSES and rules.can_edit_event(actor, e)] \
        if whole_series else [event]
    if event.status not in OPEN_STATUSES:
        raise ValidationError(_("Für eine abgeschlossene oder abgesagte Veranstaltung wird niemand mehr "
                                "vorgeschlagen."))
    without_rules = [e.title for e in targets if not e.kind_rules.exists()]
    if without_rules:
        raise ValidationError(_("Legen Sie zuerst Regeln je Art der Organisation fest (z. B. Startups 2–3, "
                                "KMU 7–10) für: %(events)s.") % {"events": ", ".join(without_rules)})
    kinds = set(KindRule.objects.filter(event__in=targets).values_list("kind", flat=True))
    regions = {e.region_id for e in targets}
    candidates = Organisation.objects.filter(kind__in=kinds).filter(Exists(Person.objects.filter(
        organisation=OuterRef("pk"), user__is_active=True)))
    if None not in regions:
        candidates = candidates.filter(region_id__in=regions)
    pool_all = list(candidates.order_by("pk"))
    present = _present(series_events)
    taken_in_series = {org for event_present in present.values() for org in event_present}
    taken_in_series |= set(Candidate.objects.filter(event__in=[e for e in series_events if e not in targets])
                           .values_list("organisation_id", flat=True))
    chosen: dict[int, list[int]] = {}
    objective = bound = 0.0
    if allow_repeats:
        # one event after the other, each on its own, but pairs that meet elsewhere in the
        # series (already there, or proposed for an earlier event of this run) are avoided
        others = defaultdict(set)
        for other_id, org_id in Candidate.objects.filter(event__in=[e for e in series_events if e not in targets]) \
                .values_list("event_id", "organisation_id"):
            others[other_id].add(org_id)
        for target in targets:
            met = _pairs((set(present[e.pk]) | others[e.pk] | set(chosen.get(e.pk, [])))
                         for e in series_events if e.pk != target.pk)
            pool = [o for o in pool_all if o.pk not in present[target.pk]]
            result, value, limit = _compose([target], pool, present, time_limit, met)
            chosen.update(result)
            objective, bound = objective + value, bound + limit
    else:
        pool = [o for o in pool_all if o.pk not in taken_in_series]
        chosen, objective, bound = _compose(targets, pool, present, time_limit)
    contacts = _contacts({o for orgs in chosen.values() for o in orgs})
    names = {o.pk: o.name for o in pool_all}
    names.update(Organisation.objects.filter(
        pk__in={o for p in present.values() for o in p}).values_list("pk", "name"))
    rows = []
    for target in targets:
        group = chosen.get(target.pk, []) + list(present[target.pk])
        scores = organisation_scores(group)
        for org in chosen.get(target.pk, []):
            near = sorted(((s, other) for (a, b), s in scores.items() for other in (a, b)
                           if org in (a, b) and other != org and s > 0), reverse=True)
            rows.append(Candidate(event=target, organisation_id=org, user=contacts[org],
                                  score=round(sum(s for s, _other in near), 3),
                                  partners=[names.get(other, "") for _s, other in near[:PARTNERS_SHOWN]]))
    with transaction.atomic():
        Candidate.objects.filter(event__in=targets, status=CandidateStatus.PROPOSED, by_hand=False).delete()
        Candidate.objects.bulk_create(rows)
        log_event("matchwerk.events.composition.proposed", event,
                  {"events": [t.pk for t in targets], "proposed": len(rows), "repeats": allow_repeats}, actor=actor)
    return CompositionOutcome(events=len(targets), proposed=len(rows), objective=round(objective, 3),
                              bound=round(bound, 3))


def candidate_add(*, actor, event: Event, organisation: Organisation) -> Candidate:
    """Staff add an organisation to the proposal by hand (kept when the engine runs again)."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if event.status not in OPEN_STATUSES:
        raise ValidationError(_("Für eine abgeschlossene oder abgesagte Veranstaltung wird niemand mehr "
                                "vorgeschlagen."))
    user = _contacts([organisation.pk]).get(organisation.pk)
    if user is None:
        raise ValidationError(_("„%(name)s“ hat niemanden mit einem Konto, der eingeladen werden könnte.") % {"name": organisation.name})
    if Candidate.objects.filter(event=event, organisation=organisation).exists() or Registration.objects.filter(
            event=event, organisation=organisation, status__in=ACTIVE_REGISTRATION_STATUSES).exists():
        raise ValidationError(_("„%(name)s“ ist für diese Veranstaltung schon vorgeschlagen, eingeladen oder "
                                "angemeldet.") % {"name": organisation.name})
    candidate = Candidate.objects.create(event=event, organisation=organisation, user=user, by_hand=True)
    log_event("matchwerk.events.composition.added", event, {"organisation": organisation.pk}, actor=actor)
    return candidate


def candidate_remove(*, actor, candidate: Candidate) -> None:
    if not rules.can_edit_event(actor, candidate.event):
        raise PermissionDenied
    if candidate.status != CandidateStatus.PROPOSED:
        raise ValidationError(_("Wer schon eingeladen ist, wird über die Anmeldungen abgemeldet, nicht hier."))
    log_event("matchwerk.events.composition.removed", candidate.event, {"organisation": candidate.organisation_id},
              actor=actor)
    candidate.delete()


def candidates_invite(*, actor, event: Event) -> int:
    """Send a personal invitation to everyone proposed for the event (published only, so
    that the invitations can be answered)."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Veröffentlichen Sie die Veranstaltung zuerst; Einladungen zu einem Entwurf "
                                "könnten nicht beantwortet werden."))
    invited = 0
    for candidate in event.candidates.filter(status=CandidateStatus.PROPOSED).select_related("organisation", "user"):
        try:
            registration_invite(actor=actor, event=event, user=candidate.user, organisation=candidate.organisation)
        except ValidationError:
            pass  # already invited or registered: nothing to send
        else:
            invited += 1
        candidate.status = CandidateStatus.INVITED
        candidate.save(update_fields=["status"])
    return invited
