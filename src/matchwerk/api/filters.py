"""Filters shared by the API's lists."""

from __future__ import annotations

import django_filters


class ChangedSinceFilter(django_filters.IsoDateTimeFilter):
    """``changed_since=2026-12-01T00:00:00Z``: changed at or after that moment (ISO 8601)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("label", "Changed at or after (ISO 8601 date-time)")
        super().__init__(*args, **kwargs)
