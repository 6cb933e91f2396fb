"""Background work of the rounds app: one engine run per task (django-tasks)."""

from __future__ import annotations

from django_tasks import task


@task()
def compute_round_plan(run_id: int) -> str:
    """Run the engine for one ``PlanRun`` and store the plan (or the failure)."""
    from matchwerk.rounds.services import plan_run_execute

    return plan_run_execute(run_id=run_id)
