"""Reads of profiles: the directory, a user's organisations, counts."""

from __future__ import annotations

from django.core.paginator import Page, Paginator
from django.db import connection
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


def _ascii_folded(text: str) -> str:
    return "".join(ch.lower() if ch.isascii() else ch for ch in text)


def _case_variants(text: str) -> list[str]:
    """Spellings to look for. SQLite's LIKE compares only ASCII letters case-insensitively,
    so "öko" would miss "Öko-Strom": there the common case forms are searched as well, but
    only those that differ in a non-ASCII letter (each variant is a full scan of five
    columns). PostgreSQL's ``icontains`` folds every letter: one spelling is enough."""
    if connection.vendor != "sqlite":
        return [text]
    variants, seen = [], set()
    for variant in (text, text.lower(), text.upper(), text.capitalize(), text.title()):
        if _ascii_folded(variant) not in seen:
            seen.add(_ascii_folded(variant))
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
    return _for_cards(organisations)


def _for_cards(organisations: QuerySet[Organisation]) -> QuerySet[Organisation]:
    return (organisations.select_related("region")
            .prefetch_related("topics",
                              Prefetch("needs", queryset=Need.objects.only("id", "title", "organisation_id")),
                              Prefetch("offers", queryset=Offer.objects.only("id", "title", "organisation_id")))
            .order_by("name", "pk"))


def directory_page(*, number, per_page: int, kind: str = "", region: Region | None = None,
                   topic: Topic | None = None, text: str = "") -> Page:
    """One page of :func:`directory_search`. With a free-text or topic filter (scans of
    every need and offer) the matching ids are read once, instead of running the filter
    for the count and again for the page; the page's organisations are then read by id."""
    organisations = directory_search(kind=kind, region=region, topic=topic, text=text)
    if not ((text or "").strip() or topic is not None):
        return Paginator(organisations, per_page).get_page(number)
    page = Paginator(list(organisations.values_list("pk", flat=True)), per_page).get_page(number)
    page.object_list = list(_for_cards(Organisation.objects.filter(pk__in=page.object_list)))
    return page


def organisation_for_detail(*, pk: int) -> Organisation:
    """One organisation with everything its profile page shows (raises DoesNotExist)."""
    return (Organisation.objects.select_related("region")
            .prefetch_related("topics",
                              Prefetch("needs", queryset=Need.objects.prefetch_related("topics")),
                              Prefetch("offers", queryset=Offer.objects.prefetch_related("topics")))
            .get(pk=pk))


def people_of_organisation(*, organisation: Organisation) -> QuerySet[Person]:
    return organisation.people.select_related("user").order_by("name", "pk")
