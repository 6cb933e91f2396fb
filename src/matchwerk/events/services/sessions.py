"""The programme of an event: sessions (talks, workshops, panels, working groups, breaks)
and who sits in which working group — proposed by the engine's ``compose`` or by hand."""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import RegistrationStatus, SessionKind
from matchwerk.events.models import Event, GroupMember, Registration, Session

SESSION_FIELDS = ("kind", "title", "description", "starts_at", "ends_at", "room", "capacity")
# People of the same organisation should meet others: a small penalty for sharing a group.
SAME_ORGANISATION = -1.0
NO_KIND = "person"  # registrations without an organisation


def session_add(*, actor, event: Event, **fields) -> Session:
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    unknown = set(fields) - set(SESSION_FIELDS)
    if unknown:
        raise TypeError(f"unknown session fields: {', '.join(sorted(unknown))}")
    session = Session(event=event, **fields)
    session.full_clean()
    session.save()
    log_event("matchwerk.events.session.created", event, {"session": session.pk}, actor=actor)
    return session


def session_delete(*, actor, session: Session) -> None:
    if not rules.can_edit_event(actor, session.event):
        raise PermissionDenied
    log_event("matchwerk.events.session.deleted", session.event, {"title": session.title}, actor=actor)
    session.delete()


def _overlapping_groups(session: Session):
    return Session.objects.filter(event_id=session.event_id, kind=SessionKind.WORKING_GROUP,
                                  starts_at__lt=session.ends_at, ends_at__gt=session.starts_at)


def group_member_add(*, actor, session: Session, registration: Registration) -> GroupMember:
    """Put a confirmed participant into a working group by hand (one group per time)."""
    if not rules.can_edit_event(actor, session.event):
        raise PermissionDenied
    if not session.is_working_group:
        raise ValidationError(_("Nur Arbeitsgruppen haben feste Mitglieder."))
    if registration.event_id != session.event_id or registration.status != RegistrationStatus.CONFIRMED:
        raise ValidationError(_("Nur Personen, die für diese Veranstaltung angemeldet sind, können einer "
                                "Arbeitsgruppe zugeordnet werden."))
    with transaction.atomic():
        locked = Session.objects.select_for_update().get(pk=session.pk)
        other = GroupMember.objects.filter(registration=registration,
                                           session__in=_overlapping_groups(locked)).select_related("session").first()
        if other is not None:
            raise ValidationError(_("%(name)s ist zu dieser Zeit schon in der Arbeitsgruppe „%(group)s“.")
                                  % {"name": registration.name, "group": other.session.title})
        if locked.capacity is not None and locked.members.count() >= locked.capacity:
            raise ValidationError(_("Die Arbeitsgruppe „%(group)s“ ist voll (%(capacity)s Plätze).")
                                  % {"group": locked.title, "capacity": locked.capacity})
        member = GroupMember.objects.create(session=locked, registration=registration, proposed=False)
    log_event("matchwerk.events.group.assigned", session.event, {"session": session.pk}, actor=actor)
    return member


def group_member_remove(*, actor, member: GroupMember) -> None:
    if not rules.can_edit_event(actor, member.session.event):
        raise PermissionDenied
    member.delete()


@dataclass(frozen=True)
class GroupProposal:
    groups: int
    assigned: int
    unassigned: int      # confirmed people left out (groups full)
    objective: float     # summed affinity inside the groups (compose)
    bound: float         # compose's proven upper bound


def organisation_scores(organisation_ids) -> dict[tuple[int, int], float]:
    """Pairs of organisations (smaller id first) → the best matching-suggestion score
    between them in either direction; rejected suggestions are left out."""
    from matchwerk.matching.enums import SuggestionStatus
    from matchwerk.matching.models import Suggestion

    ids = list(organisation_ids)
    scores: dict[tuple[int, int], float] = {}
    for a, b, score in Suggestion.objects.filter(organisation__in=ids, partner__in=ids).exclude(
            status=SuggestionStatus.REJECTED).values_list("organisation_id", "partner_id", "score"):
        if a != b:
            key = (min(a, b), max(a, b))
            scores[key] = max(scores.get(key, 0.0), float(score))
    return scores


def _affinity(registrations: list[Registration]) -> list[dict]:
    """Pairs of participants: the best matching-suggestion score between their
    organisations (either direction, not rejected), or a penalty for colleagues."""
    by_org = defaultdict(list)
    for registration in registrations:
        if registration.organisation_id:
            by_org[registration.organisation_id].append(registration.pk)
    pairs = []
    for (a, b), score in organisation_scores(by_org).items():
        pairs += [{"a": str(x), "b": str(y), "score": score} for x in by_org[a] for y in by_org[b]]
    for members in by_org.values():
        pairs += [{"a": str(x), "b": str(y), "score": SAME_ORGANISATION}
                  for i, x in enumerate(members) for y in members[i + 1:]]
    return pairs


def _kind(registration: Registration) -> str:
    return registration.organisation.kind if registration.organisation_id else NO_KIND


def _propose_slot(groups: list[Session], people: list[Registration], time_limit: float) -> tuple[dict, float, float]:
    """One time slot: ``compose`` with a fair share of every kind per group (⌊n/g⌋ … ⌈n/g⌉,
    at most the group's seats), then whoever it left out into the emptiest group with room."""
    counts = Counter(_kind(p) for p in people)
    g = len(groups)
    size = {kind: [n // g, min(math.ceil(n / g), min((s.capacity or n) for s in groups))]
            for kind, n in counts.items()}
    for kind, (lo, hi) in size.items():
        size[kind] = [min(lo, hi), hi]
    from matchwerk.engine import compose  # scipy's optimiser loads when groups are composed, not at start-up

    result = compose.run({
        "participants": [{"id": str(p.pk), "kind": _kind(p)} for p in people],
        "affinity": _affinity(people),
        "events": [{"id": str(s.pk), "size": size} for s in groups],
        "time_limit": time_limit,
    })
    by_id = {str(p.pk): p for p in people}
    placed = {s.pk: [by_id[pid] for pid in result["events"].get(str(s.pk), [])] for s in groups}
    for s in groups:  # a group's own seats win over the fair share
        if s.capacity is not None:
            placed[s.pk] = placed[s.pk][:s.capacity]
    seated = {p.pk for members in placed.values() for p in members}
    for person in people:
        if person.pk in seated:
            continue
        room = [s for s in groups if s.capacity is None or len(placed[s.pk]) < s.capacity]
        if room:
            target = min(room, key=lambda s: (len(placed[s.pk]), s.starts_at, s.pk))
            placed[target.pk].append(person)
    return placed, result["objective"], result["bound"]


def groups_propose(*, actor, event: Event, time_limit: float = 2.0) -> GroupProposal:
    """Fill the event's working groups with its confirmed participants (``compose``):
    each person in one group per time slot, every kind spread evenly, partners the
    matching suggestions recommend together, colleagues apart. Replaces the groups'
    current members (staff adjust by hand afterwards)."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    groups = list(event.sessions.filter(kind=SessionKind.WORKING_GROUP).order_by("starts_at", "pk"))
    if not groups:
        raise ValidationError(_("Diese Veranstaltung hat noch keine Arbeitsgruppen. Legen Sie zuerst "
                                "Programmpunkte der Art „Arbeitsgruppe“ an."))
    people = list(event.registrations.filter(status=RegistrationStatus.CONFIRMED)
                  .select_related("organisation").order_by("pk"))
    if not people:
        raise ValidationError(_("Es gibt noch keine bestätigten Anmeldungen, die verteilt werden könnten."))
    slots = defaultdict(list)
    for group in groups:
        slots[group.starts_at].append(group)
    members, objective, bound, unassigned = [], 0.0, 0.0, 0
    for slot_groups in slots.values():
        placed, value, limit = _propose_slot(slot_groups, people, time_limit)
        objective, bound = objective + value, bound + limit
        seated = 0
        for session_id, registrations in placed.items():
            members += [GroupMember(session_id=session_id, registration=r, proposed=True) for r in registrations]
            seated += len(registrations)
        unassigned += len(people) - seated
    with transaction.atomic():
        GroupMember.objects.filter(session__in=groups).delete()
        GroupMember.objects.bulk_create(members)
        log_event("matchwerk.events.group.proposed", event, {"groups": len(groups), "assigned": len(members)},
                  actor=actor)
    return GroupProposal(groups=len(groups), assigned=len(members), unassigned=unassigned,
                         objective=round(objective, 3), bound=round(bound, 3))

