"""Reads for the back office lists."""

from __future__ import annotations

from django.db.models import Count, Q, QuerySet

from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic
from matchwerk.profiles.rules import region_q


def _scoped(queryset: QuerySet, user, field: str) -> QuerySet:
    scope = region_q(user, field=field)
    return queryset if scope is None else queryset.filter(scope)


def backoffice_counts(*, user) -> dict[str, int]:
    """Counts of what the staff member acts for (her regions; everything for administrators)."""
    organisations = _scoped(Organisation.objects.all(), user, "region_id").aggregate(
        total=Count("pk"), listed=Count("pk", filter=Q(listed_in_directory=True)),
        matching=Count("pk", filter=Q(open_for_matching=True)))
    return {**organisations, "people": _scoped(Person.objects.all(), user, "organisation__region_id").count(),
            "needs": _scoped(Need.objects.all(), user, "organisation__region_id").count(),
            "offers": _scoped(Offer.objects.all(), user, "organisation__region_id").count(),
            "topics": Topic.objects.count(), "regions": Region.objects.count()}


def regions_for_filter(*, user) -> QuerySet[Region]:
    """The regions a staff member can filter her lists by."""
    return _scoped(Region.objects.all(), user, "pk").order_by("name")


def organisations_for_backoffice(*, user, query: str = "", kind: str = "", region=None, listed: str = "",
                                 matching: str = "") -> QuerySet[Organisation]:
    """All organisations of the staff member's regions, also those not in the directory."""
    queryset = _scoped(Organisation.objects.select_related("region"), user, "region_id")
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(key__icontains=query) | Q(town__icontains=query))
    if kind:
        queryset = queryset.filter(kind=kind)
    if region is not None:
        queryset = queryset.filter(region=region)
    if listed:
        queryset = queryset.filter(listed_in_directory=listed == "ja")
    if matching:
        queryset = queryset.filter(open_for_matching=matching == "ja")
    return queryset.annotate(
        need_count=Count("needs", distinct=True), offer_count=Count("offers", distinct=True),
    ).order_by("name", "pk")


def people_for_backoffice(*, user, query: str = "", region=None) -> QuerySet[Person]:
    queryset = _scoped(Person.objects.select_related("organisation"), user, "organisation__region_id")
    if query:
        queryset = queryset.filter(Q(name__icontains=query) | Q(email__icontains=query)
                                   | Q(organisation__name__icontains=query))
    if region is not None:
        queryset = queryset.filter(organisation__region=region)
    return queryset.order_by("organisation__name", "name", "pk")


def topics_with_usage() -> QuerySet[Topic]:
    return Topic.objects.annotate(
        organisation_count=Count("organisations", distinct=True), need_count=Count("needs", distinct=True),
        offer_count=Count("offers", distinct=True)).order_by("name_de")


def regions_with_usage() -> QuerySet[Region]:
    return Region.objects.annotate(organisation_count=Count("organisations", distinct=True)).prefetch_related(
        "coordinators").order_by("name")


def topic_usage(topic: Topic) -> dict[str, int]:
    return {"organisations": topic.organisations.count(), "needs": topic.needs.count(),
            "offers": topic.offers.count()}
