"""Reading consent: the decision in force per purpose."""

from __future__ import annotations

from matchwerk.privacy.enums import ORGANISATION_PURPOSES, ConsentPurpose
from matchwerk.privacy.models import Consent


def consents_in_force(*, user, organisation=None) -> dict[str, Consent | None]:
    """The newest decision per purpose (None where the person never decided)."""
    purposes = ORGANISATION_PURPOSES if organisation is not None else tuple(
        p for p in ConsentPurpose if p not in ORGANISATION_PURPOSES)
    records = Consent.objects.filter(purpose__in=purposes)
    records = records.filter(organisation=organisation) if organisation is not None \
        else records.filter(user=user, organisation__isnull=True)
    current: dict[str, Consent | None] = {p.value: None for p in purposes}
    for record in records.order_by("-recorded_at", "-id"):
        if current[record.purpose] is None:
            current[record.purpose] = record
    return current
