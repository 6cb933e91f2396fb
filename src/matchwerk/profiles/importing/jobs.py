"""Imports as background jobs: upload -> check (task) -> preview -> confirm -> apply (task).

The uploaded file is kept as a ``core.CachedFile`` (in the database, 24 hours) and belongs
to the uploader's ``ImportJob``. Both steps run as tasks on the default queue; the status
page shows their progress. Applying checks the file again (a region renamed since the
preview is caught) and writes all rows or none, exactly as ``organisations_import`` does.
Both tasks may run twice (task retries) without harm: each step starts only from the
status the previous step left.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import translation
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.services import cached_file_create, cached_file_delete
from matchwerk.profiles import importing
from matchwerk.profiles.enums import ImportStatus, OrganisationKind
from matchwerk.profiles.models import ImportJob, Region
from matchwerk.profiles.rules import can_import_organisations, import_rows_outside_scope

PREVIEW_ROWS = 200


def _problems(plan) -> dict:
    return {
        "problems": [{"row": p.row, "column": p.column, "letter": p.letter, "message": p.message}
                     for p in plan.problems],
        "total_problems": plan.total_problems, "warnings": [str(w) for w in plan.warnings],
    }


def _outside_scope(job: ImportJob, plan) -> dict | None:
    """Problems for rows outside the uploader's regions (a coordinator imports only into
    hers), in the shape of ``_problems``; None when every row is hers."""
    rows = import_rows_outside_scope(job.owner, plan)
    if not rows:
        return None
    message = _("Diese Organisation liegt außerhalb Ihrer Regionen; Sie können sie nicht importieren.")
    return {"problems": [{"row": row, "column": _("Region"), "letter": "", "message": message} for row in rows],
            "total_problems": len(rows), "warnings": [str(w) for w in plan.warnings]}


def _preview(plan) -> dict:
    regions = dict(Region.objects.values_list("pk", "name"))
    rows = []
    for row in plan.rows[:PREVIEW_ROWS]:
        kind = row.values.get("kind")
        rows.append({
            "row": row.row, "action": row.action, "key": row.key, "key_derived": row.key_derived, "name": row.name,
            "kind": str(OrganisationKind(kind).label) if kind else "", "region": regions.get(row.values.get("region_id")),
            "contact": row.contact.name if row.contact else "", "needs": len(row.needs or []),
            "offers": len(row.offers or []),
        })
    return {"preview": rows, "rows": len(plan.rows), "created": plan.created, "updated": plan.updated,
            "more": max(0, len(plan.rows) - PREVIEW_ROWS), "warnings": [str(w) for w in plan.warnings]}


def _save(job: ImportJob, **changes) -> None:
    for name, value in changes.items():
        setattr(job, name, value)
    job.save(update_fields=[*changes, "updated_at"])


def import_job_start(*, actor, name: str, content: bytes, language: str = "de") -> ImportJob:
    """Keep the upload and queue its check; returns the job whose page shows the progress."""
    from matchwerk.profiles.tasks import check_import

    if not can_import_organisations.test(actor):
        raise PermissionDenied
    with transaction.atomic():
        cached = cached_file_create(owner=actor, name=name, content=content)
        job = ImportJob.objects.create(owner=actor, file=cached, filename=name[:255], language=language or "de")
        check_import.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    return job


def import_job_check(*, job_id: str) -> str:
    """The check step (run by the ``check_import`` task): plan the file, keep the outcome."""
    job = ImportJob.objects.select_related("file", "owner").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.CHECKING:
        return "skipped"
    if job.file is None:
        _save(job, status=ImportStatus.FAILED, progress=100, outcome={"error": "file expired"})
        return job.status
    _save(job, progress=10)
    with translation.override(job.language):
        plan = importing.plan_import(bytes(job.file.data), job.filename)
        outside = _outside_scope(job, plan) if plan.ok else None
        if not plan.ok or outside:
            _save(job, status=ImportStatus.INVALID, progress=100, outcome=outside or _problems(plan))
            log_event("matchwerk.profiles.organisations.import_rejected", job,
                      {"file": job.filename, "problems": job.outcome["total_problems"]}, actor=job.owner)
            cached_file_delete(cached_file=job.file)
        else:
            _save(job, status=ImportStatus.READY, progress=100, outcome=_preview(plan))
    return job.status


def import_job_confirm(*, actor, job: ImportJob) -> ImportJob:
    """The uploader confirms the preview: the apply step is queued."""
    from matchwerk.profiles.tasks import apply_import

    if job.owner_id != actor.pk or not can_import_organisations.test(actor):
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.select_for_update().get(pk=job.pk)
        if job.status != ImportStatus.READY or job.file_id is None:
            raise ValidationError(_("Dieser Import kann nicht mehr bestätigt werden."))
        _save(job, status=ImportStatus.APPLYING, progress=5)
        apply_import.enqueue(job_id=str(job.pk))
    job.refresh_from_db()
    return job


def import_job_cancel(*, actor, job: ImportJob) -> ImportJob:
    if job.owner_id != actor.pk:
        raise PermissionDenied
    with transaction.atomic():
        job = ImportJob.objects.select_for_update(of=("self",)).select_related("file").get(pk=job.pk)
        if job.status == ImportStatus.READY:
            _save(job, status=ImportStatus.CANCELLED, progress=100)
            cached_file_delete(cached_file=job.file)
    return job


def import_job_apply(*, job_id: str) -> str:
    """The apply step (run by the ``apply_import`` task): check again, then all rows or none."""
    job = ImportJob.objects.select_related("file", "owner").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.APPLYING:
        return "skipped"
    if job.file is None:
        _save(job, status=ImportStatus.FAILED, progress=100, outcome={"error": "file expired"})
        return job.status
    _save(job, progress=20)
    with translation.override(job.language):
        plan = importing.plan_import(bytes(job.file.data), job.filename)
        outside = _outside_scope(job, plan) if plan.ok else None
        if not plan.ok or outside:
            _save(job, status=ImportStatus.INVALID, progress=100, outcome=outside or _problems(plan))
        else:
            _save(job, progress=50)
            try:
                with transaction.atomic():
                    locked = ImportJob.objects.select_for_update().get(pk=job.pk)
                    if locked.status != ImportStatus.APPLYING:
                        return "skipped"
                    result = importing.organisations_import(actor=job.owner, plan=plan, source=job.filename)
                    _save(job, status=ImportStatus.DONE, progress=100,
                          outcome={"created": result.created, "updated": result.updated})
            except IntegrityError:
                # Someone created an organisation with one of the new keys in the meantime;
                # the transaction was rolled back, so nothing was imported.
                _save(job, status=ImportStatus.FAILED, progress=100, outcome={"error": "keys taken"})
    cached_file_delete(cached_file=job.file)
    return job.status
