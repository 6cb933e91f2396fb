"""Declared events of the privacy app (sent by its services)."""

from django.dispatch import Signal

# A consent decision was recorded. Keywords ``consent`` (the new record) and
# ``organisation_id`` (None for personal purposes). Profiles listens: a matching consent
# changes the organisation's matching profile.
consent_recorded = Signal()
