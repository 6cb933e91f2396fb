"""Background work of the matching app (django-tasks: a database queue and `matchwerk worker`)."""

from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

from matchwerk.matching import engine_adapter, recompute
from matchwerk.matching.models import RecomputeState
from matchwerk.programmes.models import Programme

logger = logging.getLogger(__name__)
NO_PROGRAMME = "no active programme exists: no suggestions are computed (programmes are created by the administration)"


@task()
def recompute_suggestions(programme_id: int | None = None) -> int:
    """Recompute every list of one programme (or of every active one) from a freshly
    built index."""
    programmes = (list(Programme.objects.filter(pk=programme_id)) if programme_id
                  else recompute.active_programmes())
    if not programmes:  # never creates one
        logger.warning(NO_PROGRAMME if not programme_id else f"programme {programme_id} does not exist: nothing computed")
        return 0
    stored = 0
    for n, programme in enumerate(programmes):
        stored += recompute.suggestions_recompute(programme=programme, rebuild=n == 0)
    return stored


@task()
def refresh_suggestions() -> int:
    """The pending refresh: apply the announced profile changes, recompute the touched lists.

    The pending mark is cleared first, so changes announced while this runs queue the
    next refresh."""
    engine_adapter.recompute_state()
    RecomputeState.objects.filter(pk=1).update(pending=False, started_at=timezone.now())
    if not recompute.active_programmes():
        logger.info(NO_PROGRAMME)
    lists = recompute.suggestions_refresh()
    engine_adapter.prune_changes()
    RecomputeState.objects.filter(pk=1).update(finished_at=timezone.now())
    return lists



@task()
def send_due_followups(now: str | None = None) -> dict:
    """The hourly round (the task workers queue it, ``matchwerk.core.periodic``; also
    ``matchwerk followups_send``): due follow-up check-ins and reminders, and reminders of due milestones.
    Safe to run any number of times: each round and each reminder is sent once."""
    from datetime import datetime

    from matchwerk.matching.services import followups_send_due, milestone_reminders_send

    moment = datetime.fromisoformat(now) if now else None
    return {"followups": followups_send_due(now=moment), "milestones": milestone_reminders_send(now=moment)}
