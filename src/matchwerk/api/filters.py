"""Filters shared by the API's lists."""

from __future__ import annotations

import django_filters
from django.db.models import Q


class ChangedSinceFilter(django_filters.IsoDateTimeFilter):
    """``changed_since=2026-12-01T00:00:00Z``: changed at or after that moment (ISO 8601)."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("lookup_expr", "gte")
        kwargs.setdefault("label", "Changed at or after (ISO 8601 date-time)")
        super().__init__(*args, **kwargs)


class ChangedSinceAnyFilter(django_filters.IsoDateTimeFilter):
    """``changed_since`` over several date-time fields: changed at or after that moment in
    any of them (e.g. created or answered)."""

    def __init__(self, *args, fields: tuple[str, ...], **kwargs):
        kwargs.setdefault("label", "Changed at or after (ISO 8601 date-time)")
        self.any_fields = fields
        super().__init__(*args, field_name=fields[0], **kwargs)

    def filter(self, qs, value):
        if value in (None, ""):
            return qs
        condition = Q()
        for name in self.any_fields:
            condition |= Q(**{f"{name}__gte": value})
        return qs.filter(condition)
