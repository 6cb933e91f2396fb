"""The one audit path: ``log_event`` records a noteworthy action, in particular staff
reading personal data (GDPR accountability).

Action codes are dotted, ``matchwerk.<app>.<object>.<verb>`` with the verb in the past
tense, e.g. ``matchwerk.matching.match.proposed`` or ``matchwerk.profiles.people.viewed``;
``data`` is a small JSON object (filters, counts, slugs), never a copy of personal data.
"""

from __future__ import annotations

import logging
import re

from django.db import models

from matchwerk.core.models import AccessLog

logger = logging.getLogger("matchwerk.audit")

ACTION_PATTERN = re.compile(r"^matchwerk(\.[a-z][a-z0-9_]*){2,4}$")


def log_event(action: str, obj: models.Model | None = None, data: dict | None = None, *, actor=None) -> AccessLog:
    """Write one access-log entry; ``actor`` is the acting user (anonymous or None: none)."""
    if not ACTION_PATTERN.match(action) or len(action) > AccessLog._meta.get_field("action").max_length:
        raise ValueError(f"audit action {action!r} is not of the form matchwerk.<app>.<object>.<verb>")
    entry = AccessLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        data=data or {},
    )
    logger.info("%s %s %s:%s %s", actor, action, entry.object_type, entry.object_id, entry.detail)
    return entry
