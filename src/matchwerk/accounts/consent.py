"""Consent per purpose: record a decision, read what is in force.

Organisation purposes (directory, matching) are granted by a person acting for the
organisation and mirrored into the organisation's flags; personal purposes (photos,
newsletter) belong to the person. Every decision is kept as a ``Consent`` record with
the text version the person saw.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from matchwerk.profiles.enums import ORGANISATION_PURPOSES, ConsentPurpose
from matchwerk.profiles.models import Consent, Organisation
from matchwerk.profiles.signals import announce_changed

# Bump a purpose's version whenever its consent text changes.
CONSENT_TEXT_VERSIONS = {
    ConsentPurpose.DIRECTORY: "2026-11",
    ConsentPurpose.MATCHING: "2026-11",
    ConsentPurpose.PHOTOS: "2026-11",
    ConsentPurpose.NEWSLETTER: "2026-11",
}

# The organisation field that mirrors each organisation purpose.
ORGANISATION_FLAGS = {ConsentPurpose.DIRECTORY: "listed_in_directory", ConsentPurpose.MATCHING: "open_for_matching"}
_FLAGS = ORGANISATION_FLAGS


def consent_record(*, user, purpose: str, granted: bool, organisation: Organisation | None = None) -> Consent:
    """Record one consent decision (and update the organisation's flag for its purposes)."""
    purpose = ConsentPurpose(purpose)
    if (purpose in ORGANISATION_PURPOSES) != (organisation is not None):
        raise ValidationError("Organisation purposes need an organisation; personal purposes must not have one.")
    with transaction.atomic():
        consent = Consent(user=user, organisation=organisation, purpose=purpose, granted=granted,
                          text_version=CONSENT_TEXT_VERSIONS[purpose])
        consent.full_clean()
        consent.save()
        if organisation is not None:
            setattr(organisation, _FLAGS[purpose], granted)
            organisation.save(update_fields=[_FLAGS[purpose], "updated_at"])
            if purpose == ConsentPurpose.MATCHING:
                announce_changed(organisation.pk)
    return consent


def consents_in_force(*, user, organisation: Organisation | None = None) -> dict[str, Consent | None]:
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
