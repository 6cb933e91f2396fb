"""Recording consent decisions.

Organisation purposes (directory, matching) are granted by a person acting for the
organisation and mirrored into the organisation's flags; personal purposes (photos,
newsletter) belong to the person. Every decision is kept as a ``Consent`` record with
the text version the person saw. Who may decide is the caller's check
(``profiles.rules.can_record_organisation_consent``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from matchwerk.privacy.enums import CONSENT_TEXT_VERSIONS, ORGANISATION_FLAGS, ORGANISATION_PURPOSES, ConsentPurpose
from matchwerk.privacy.models import Consent
from matchwerk.privacy.signals import consent_recorded


def consent_record(*, user, purpose: str, granted: bool, organisation=None) -> Consent:
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
            setattr(organisation, ORGANISATION_FLAGS[purpose], granted)
            organisation.save(update_fields=[ORGANISATION_FLAGS[purpose], "updated_at"])
        consent_recorded.send(sender=Consent, consent=consent,
                              organisation_id=organisation.pk if organisation is not None else None)
    return consent
