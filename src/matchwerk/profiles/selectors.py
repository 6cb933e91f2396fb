"""Reads of profiles: the directory, a user's organisations, counts."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet

from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic


def directory_stats() -> dict[str, int]:
    listed = Organisation.objects.filter(listed_in_directory=True)
    return {
        "organisations": listed.count(),
        "needs": Need.objects.filter(organisation__listed_in_directory=True).count(),
        "offers": Offer.objects.filter(organisation__listed_in_directory=True).count(),
    }


def organisations_of_user(*, user) -> QuerySet[Organisation]:
    """The organisations the user belongs to; ``user_can_edit`` tells whether they may edit."""
    if not user.is_authenticated:
        return Organisation.objects.none()
    return (Organisation.objects.filter(people__user=user).select_related("region").distinct()
            .annotate(user_can_edit=Exists(Person.objects.filter(organisation=OuterRef("pk"), user=user,
                                                                 can_edit=True)))
            .order_by("name"))


def _case_variants(text: str) -> list[str]:
    """Spellings to look for. SQLite compares only ASCII letters case-insensitively, so
    "öko" would miss "Öko-Strom"; searching the common case forms as well makes umlauts
    work there too (PostgreSQL needs none of this, and it costs it nothing)."""
    variants = []
    for variant in (text, text.lower(), text.upper(), text.capitalize(), text.title()):
        if variant not in variants:
            variants.append(variant)
    return variants


def _text_filter(text: str) -> Q:
    query = Q()
    statement_query = Q()
    for variant in _case_variants(text):
        query |= Q(name__icontains=variant) | Q(town__icontains=variant) | Q(about__icontains=variant)
        statement_query |= Q(title__icontains=variant) | Q(description__icontains=variant)
    return (query
            | Q(pk__in=Need.objects.filter(statement_query).values("organisation_id"))
            | Q(pk__in=Offer.objects.filter(statement_query).values("organisation_id")))


def directory_search(*, kind: str = "", region: Region | None = None, topic: Topic | None = None,
                     text: str = "") -> QuerySet[Organisation]:
    """Listed organisations only, filtered; ready for cards (no N+1 queries).

    ``topic`` matches the organisation's own topics or those of its needs and offers;
    ``text`` looks case-insensitively in name, town, about text and the titles and
    descriptions of needs and offers.
    """
    organisations = Organisation.objects.filter(listed_in_directory=True)
    if kind:
        organisations = organisations.filter(kind=kind)
    if region is not None:
        organisations = organisations.filter(region=region)
    if topic is not None:
        organisations = organisations.filter(
            Q(pk__in=Organisation.topics.through.objects.filter(topic=topic).values("organisation_id"))
            | Q(pk__in=Need.objects.filter(topics=topic).values("organisation_id"))
            | Q(pk__in=Offer.objects.filter(topics=topic).values("organisation_id")))
    text = (text or "").strip()
    if text:
        organisations = organisations.filter(_text_filter(text))
    return (organisations.select_related("region")
            .prefetch_related("topics",
                              Prefetch("needs", queryset=Need.objects.only("id", "title", "organisation_id")),
                              Prefetch("offers", queryset=Offer.objects.only("id", "title", "organisation_id")))
            .order_by("name", "pk"))


def organisation_for_detail(*, pk: int) -> Organisation:
    """One organisation with everything its profile page shows (raises DoesNotExist)."""
    return (Organisation.objects.select_related("region")
            .prefetch_related("topics",
                              Prefetch("needs", queryset=Need.objects.prefetch_related("topics")),
                              Prefetch("offers", queryset=Offer.objects.prefetch_related("topics")))
            .get(pk=pk))


def people_of_organisation(*, organisation: Organisation) -> QuerySet[Person]:
    return organisation.people.select_related("user").order_by("name", "pk")
