"""Reads of the matching app."""

from __future__ import annotations

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from matchwerk.matching.enums import Answer, MatchStatus, SuggestionStatus
from matchwerk.matching.models import Decision, Match, MatchSide, Programme, Suggestion
from matchwerk.profiles.models import Organisation


def matching_pool(*, programme: Programme) -> QuerySet[Organisation]:
    """Organisations that take part: consented to matching, in the programme's regions."""
    pool = Organisation.objects.filter(open_for_matching=True).select_related("region").prefetch_related(
        "topics", "needs__topics", "offers__topics")
    region_ids = list(programme.regions.values_list("pk", flat=True))
    if region_ids:
        pool = pool.filter(region_id__in=region_ids)
    return pool.order_by("pk")


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


def kind_pair_weights(*, programme: Programme) -> dict[frozenset, float]:
    """Re-weighting learnt from outcomes, per pair of kinds.

    For each kind pair: a = matches both sides confirmed, d = matches declined plus pairs
    the team rejected. The weight is 0.8 + 0.4 · (a + 1) / (a + d + 2): 1.0 with no
    evidence (Laplace prior), towards 1.2 when such pairs work out, towards 0.8 when they
    are turned down.
    """
    counts: dict[frozenset, list[int]] = {}
    for match in Match.objects.filter(programme=programme).exclude(status=MatchStatus.PROPOSED).prefetch_related(
            Prefetch("sides", queryset=MatchSide.objects.select_related("organisation"))):
        kinds = frozenset(side.organisation.kind for side in match.sides.all())
        entry = counts.setdefault(kinds, [0, 0])
        entry[0 if match.status == MatchStatus.ACTIVE else 1] += 1
    for low_kind, high_kind in Decision.objects.filter(programme=programme, kind=Decision.Kind.REJECTED).values_list(
            "low__kind", "high__kind"):
        counts.setdefault(frozenset((low_kind, high_kind)), [0, 0])[1] += 1
    return {kinds: 0.8 + 0.4 * (a + 1) / (a + d + 2) for kinds, (a, d) in counts.items()}


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


def review_queue(*, programme: Programme, region=None) -> list[Suggestion]:
    """The team's queue: one entry per unordered pair (the better-scored direction), open
    or back from snoozing, best first."""
    now = timezone.now()
    queryset = (Suggestion.objects.filter(programme=programme, organisation__open_for_matching=True,
                                          partner__open_for_matching=True)
                .filter(Q(status=SuggestionStatus.OPEN) | Q(status=SuggestionStatus.SNOOZED, snoozed_until__lte=now))
                .select_related("organisation", "organisation__region", "partner", "partner__region")
                .order_by("-score", "pk"))
    if region is not None:
        queryset = queryset.filter(Q(organisation__region=region) | Q(partner__region=region))
    seen: set[tuple[int, int]] = set()
    queue = []
    for suggestion in queryset:
        pair = (min(suggestion.organisation_id, suggestion.partner_id), max(suggestion.organisation_id,
                                                                           suggestion.partner_id))
        if pair not in seen:
            seen.add(pair)
            queue.append(suggestion)
    return queue


def matches_of_user(*, user) -> QuerySet[MatchSide]:
    """The match sides of every organisation the user acts for (their invitations)."""
    return (MatchSide.objects.filter(organisation__people__user=user, organisation__people__can_edit=True)
            .select_related("match", "organisation", "match__programme")
            .prefetch_related(Prefetch("match__sides", queryset=MatchSide.objects.select_related("organisation")))
            .order_by("-match__created_at").distinct())


def matches_overview(*, programme: Programme | None = None) -> QuerySet[Match]:
    matches = Match.objects.prefetch_related(
        Prefetch("sides", queryset=MatchSide.objects.select_related("organisation"))).select_related("programme")
    if programme is not None:
        matches = matches.filter(programme=programme)
    return matches.annotate(accepted=Count("sides", filter=Q(sides__answer=Answer.ACCEPTED)))
