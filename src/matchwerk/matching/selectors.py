"""Reads of the matching app."""

from __future__ import annotations

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone

from matchwerk.matching.enums import STRENGTH_BOUNDS, Answer, MatchStatus, SuggestionStatus
from matchwerk.matching.models import Decision, Match, MatchSide, Suggestion
from matchwerk.profiles.models import Organisation, Person
from matchwerk.programmes.models import Programme


def matching_pool_ids(*, programme: Programme) -> list[int]:
    """Ids of the organisations that take part in the programme (consented, in its regions)."""
    pool = Organisation.objects.filter(open_for_matching=True)
    region_ids = list(programme.regions.values_list("pk", flat=True))
    if region_ids:
        pool = pool.filter(region_id__in=region_ids)
    return list(pool.order_by("pk").values_list("pk", flat=True))


def excluded_pairs(*, programme: Programme) -> set[tuple[int, int]]:
    """Unordered pairs (low id, high id) never to suggest: rejected by the team, or already
    in a match of this programme (proposed, active or declined)."""
    pairs = set(Decision.objects.filter(programme=programme, kind=Decision.Kind.REJECTED)
                .values_list("low_id", "high_id"))
    sides: dict[int, list[int]] = {}
    for match_id, organisation_id in MatchSide.objects.filter(match__programme=programme).values_list(
            "match_id", "organisation_id"):
        sides.setdefault(match_id, []).append(organisation_id)
    for members in sides.values():
        if len(members) == 2:
            pairs.add((min(members), max(members)))
    return pairs


def kind_pair_outcomes(*, programme: Programme) -> dict[frozenset, tuple[int, int]]:
    """Outcomes per pair of kinds, for the engine's priors (``DecisionPriors``): a = matches
    both sides confirmed, d = matches declined plus pairs the team rejected. The engine
    turns them into the weight 0.8 + 0.4 · (a + 1) / (a + d + 2) (docs/matching.md)."""
    counts: dict[frozenset, list[int]] = {}
    sides = (MatchSide.objects.filter(match__programme=programme).exclude(match__status=MatchStatus.PROPOSED)
             .values_list("match_id", "match__status", "organisation__kind"))
    matches: dict[int, tuple[str, list[str]]] = {}
    for match_id, status, kind in sides:
        matches.setdefault(match_id, (status, []))[1].append(kind)
    for status, kinds in matches.values():
        entry = counts.setdefault(frozenset(kinds), [0, 0])
        entry[0 if status == MatchStatus.ACTIVE else 1] += 1
    for low_kind, high_kind in Decision.objects.filter(programme=programme, kind=Decision.Kind.REJECTED).values_list(
            "low__kind", "high__kind"):
        counts.setdefault(frozenset((low_kind, high_kind)), [0, 0])[1] += 1
    return {kinds: (a, d) for kinds, (a, d) in counts.items()}


def match_between(a: int, b: int, *, programme: Programme) -> Match | None:
    return (Match.objects.filter(programme=programme, sides__organisation_id=a)
            .filter(sides__organisation_id=b).exclude(status=MatchStatus.DECLINED).first())


def suggestions_for_organisation(*, organisation: Organisation) -> QuerySet[Suggestion]:
    """What an organisation sees under "Vorschläge": open (or no longer snoozed) suggestions
    of partners that still consent to matching."""
    now = timezone.now()
    return (Suggestion.objects.filter(organisation=organisation, partner__open_for_matching=True,
                                      organisation__open_for_matching=True)
            .filter(Q(status=SuggestionStatus.OPEN) | Q(status=SuggestionStatus.SNOOZED, snoozed_until__lte=now)
                    | Q(status=SuggestionStatus.ACCEPTED))
            .select_related("partner", "partner__region", "programme").order_by("rank"))


def _visible(now) -> Q:
    """Open, or back from snoozing."""
    return Q(status=SuggestionStatus.OPEN) | Q(status=SuggestionStatus.SNOOZED, snoozed_until__lte=now)


def review_queue(*, programme: Programme, region=None, kind: str = "", strength: str = "", search: str = "",
                 organisation_id: int | None = None, scope: Q | None = None) -> QuerySet[Suggestion]:
    """The team's queue, filtered and ordered in the database: one entry per unordered
    pair (the better-scored direction; ties: the older row), open or back from snoozing,
    both sides still consenting, best first. Slice it for a page. ``scope`` (from
    ``matching.rules.suggestion_scope``) narrows it to what the reviewer acts for."""
    now = timezone.now()
    better_reverse = (Suggestion.objects.filter(programme=OuterRef("programme"), organisation=OuterRef("partner"),
                                                partner=OuterRef("organisation"))
                      .filter(_visible(now))
                      .filter(Q(score__gt=OuterRef("score")) | Q(score=OuterRef("score"), pk__lt=OuterRef("pk"))))
    queryset = (Suggestion.objects.filter(programme=programme, organisation__open_for_matching=True,
                                          partner__open_for_matching=True)
                .filter(_visible(now)).filter(~Exists(better_reverse)))
    if region is not None:
        queryset = queryset.filter(Q(organisation__region=region) | Q(partner__region=region))
    if scope is not None:
        queryset = queryset.filter(scope)
    if kind:
        queryset = queryset.filter(Q(organisation__kind=kind) | Q(partner__kind=kind))
    if strength in STRENGTH_BOUNDS:
        low, high = STRENGTH_BOUNDS[strength]
        if low is not None:
            queryset = queryset.filter(score__gte=low)
        if high is not None:
            queryset = queryset.filter(score__lt=high)
    if search.strip():  # the matching organisations first: a rare name then costs two index look-ups
        named = Organisation.objects.filter(name__icontains=search.strip()).values("pk")
        queryset = queryset.filter(Q(organisation_id__in=named) | Q(partner_id__in=named))
    if organisation_id is not None:
        queryset = queryset.filter(Q(organisation_id=organisation_id) | Q(partner_id=organisation_id))
    return (queryset.select_related("organisation", "organisation__region", "partner", "partner__region")
            .order_by("-score", "pk"))


def programme_for_reading(slug: str | None) -> Programme | None:
    """The programme a page shows (by slug, else the default or the first active one);
    never creates one."""
    if slug:
        return Programme.objects.filter(slug=slug).first()
    return (Programme.objects.filter(slug="cross-innovation").first()
            or Programme.objects.filter(is_active=True).order_by("name").first())


def matches_of_user(*, user) -> QuerySet[MatchSide]:
    """The match sides of every organisation the user acts for (their invitations), with
    the contact people of every side (shown only once a match is active: both said yes)."""
    contacts = Prefetch("organisation__people", queryset=Person.objects.filter(is_contact=True).order_by("name"),
                        to_attr="contacts")
    return (MatchSide.objects.filter(organisation__people__user=user, organisation__people__can_edit=True)
            .select_related("match", "organisation", "match__programme")
            .prefetch_related(Prefetch("match__sides", queryset=MatchSide.objects.select_related("organisation")
                                       .prefetch_related(contacts)))
            .order_by("-match__created_at").distinct())


def matches_overview(*, programme: Programme | None = None) -> QuerySet[Match]:
    matches = Match.objects.prefetch_related(
        Prefetch("sides", queryset=MatchSide.objects.select_related("organisation"))).select_related("programme")
    if programme is not None:
        matches = matches.filter(programme=programme)
    return matches.annotate(accepted=Count("sides", filter=Q(sides__answer=Answer.ACCEPTED)))


def caseload(*, programme: Programme, scope: Q | None = None, region=None, coordinator=None, search: str = "",
             overdue_only: bool = False, today=None) -> list[Match]:
    """The caseload board's matches of ``programme`` (ended ones left out), each with
    ``next_milestone`` (the earliest open one), ``overdue`` (an open milestone past its
    date) and ``unanswered`` (a follow-up check-in sent and not answered); overdue and
    unanswered first, then the longest in their stage. Filters: region (either side),
    coordinator, organisation name."""
    from matchwerk.matching.enums import MatchStage
    from matchwerk.matching.models import FollowUp, Milestone

    today = today or timezone.localdate()
    matches = Match.objects.filter(programme=programme).exclude(stage=MatchStage.ENDED)
    if scope is not None:
        matches = matches.filter(pk__in=Match.objects.filter(scope).values("pk"))
    if region is not None:
        matches = matches.filter(pk__in=MatchSide.objects.filter(organisation__region=region).values("match_id"))
    if coordinator is not None:
        matches = matches.filter(coordinator=coordinator)
    if search.strip():
        matches = matches.filter(pk__in=MatchSide.objects.filter(
            organisation__name__icontains=search.strip()).values("match_id"))
    open_milestones = Milestone.objects.filter(match=OuterRef("pk"), done_at__isnull=True)
    matches = matches.annotate(
        overdue=Exists(open_milestones.filter(due_on__lt=today)),
        unanswered=Exists(FollowUp.objects.filter(match=OuterRef("pk"), kind=FollowUp.Kind.CHECKIN, skipped=False,
                                                  sent_at__isnull=False, answers__isnull=True)),
    )
    if overdue_only:
        matches = matches.filter(Q(overdue=True) | Q(unanswered=True))
    matches = list(matches.select_related("coordinator").prefetch_related(
        Prefetch("sides", queryset=MatchSide.objects.select_related("organisation", "organisation__region")),
        Prefetch("milestones", queryset=Milestone.objects.filter(done_at__isnull=True).order_by("due_on", "pk"),
                 to_attr="open_milestones")))
    for match in matches:
        match.next_milestone = match.open_milestones[0] if match.open_milestones else None
    matches.sort(key=lambda m: (not m.overdue, not m.unanswered, m.stage_changed_at))
    return matches


def matches_for_member(*, user) -> list[Match]:
    """The matches of the organisations the user acts for, with their next open milestone."""
    from matchwerk.matching.models import Milestone

    ids = MatchSide.objects.filter(organisation__people__user=user, organisation__people__can_edit=True).values(
        "match_id")
    matches = list(Match.objects.filter(pk__in=ids).select_related("programme").prefetch_related(
        Prefetch("sides", queryset=MatchSide.objects.select_related("organisation")),
        Prefetch("milestones", queryset=Milestone.objects.filter(done_at__isnull=True).order_by("due_on", "pk"),
                 to_attr="open_milestones")).order_by("-created_at"))
    for match in matches:
        match.next_milestone = match.open_milestones[0] if match.open_milestones else None
    return matches
