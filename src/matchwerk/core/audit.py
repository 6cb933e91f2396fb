"""The access log: one call per noteworthy action, in particular staff reading personal data."""

from __future__ import annotations

import logging

from django.db import models

from matchwerk.core.models import AccessLog

logger = logging.getLogger("matchwerk.audit")


def log_access(*, actor, action: str, obj: models.Model | None = None, detail: str = "") -> AccessLog:
    entry = AccessLog.objects.create(
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        action=action,
        object_type=obj._meta.label_lower if obj is not None else "",
        object_id=str(obj.pk) if obj is not None else "",
        detail=detail[:300],
    )
    logger.info("%s %s %s:%s %s", actor, action, entry.object_type, entry.object_id, detail)
    return entry
