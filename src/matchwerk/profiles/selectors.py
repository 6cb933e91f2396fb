"""Reads of profiles: the directory, a user's organisations, counts."""

from __future__ import annotations

from django.db.models import QuerySet

from matchwerk.profiles.models import Need, Offer, Organisation


def directory_stats() -> dict[str, int]:
    listed = Organisation.objects.filter(listed_in_directory=True)
    return {
        "organisations": listed.count(),
        "needs": Need.objects.filter(organisation__listed_in_directory=True).count(),
        "offers": Offer.objects.filter(organisation__listed_in_directory=True).count(),
    }


def organisations_of_user(*, user) -> QuerySet[Organisation]:
    if not user.is_authenticated:
        return Organisation.objects.none()
    return Organisation.objects.filter(people__user=user).select_related("region").distinct().order_by("name")
