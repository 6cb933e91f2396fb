"""The scheduled retention task (default queue): applies every programme's retention that
is due. Idempotent (one ``RetentionRun`` per programme), so a retried or doubled run
erases nothing twice."""

from __future__ import annotations

from django_tasks import task


@task(priority=10)
def retention_sweep_task() -> int:
    from matchwerk.programmes.retention.services import retention_sweep

    return len(retention_sweep())
