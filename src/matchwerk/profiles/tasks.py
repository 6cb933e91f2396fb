"""Background tasks of the profiles app: the two steps of a spreadsheet import."""

from __future__ import annotations

from django_tasks import task


@task()
def check_import(job_id: str) -> str:
    from matchwerk.profiles.importing.jobs import import_job_check

    return import_job_check(job_id=job_id)


@task()
def apply_import(job_id: str) -> str:
    from matchwerk.profiles.importing.jobs import import_job_apply

    return import_job_apply(job_id=job_id)
