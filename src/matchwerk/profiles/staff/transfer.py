"""Spreadsheet import (upload -> check -> preview -> confirm -> apply) and export of
organisations.

The upload is kept as a database-backed cached file of an ``ImportJob``; checking and
applying run as background tasks (``profiles/importing/jobs.py``) and the uploader follows
them on the job's status page, which only she can open.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.staff import staff_view
from matchwerk.profiles import exporting
from matchwerk.profiles.rules import can_export_directory, can_import_organisations, region_q
from matchwerk.profiles.staff.forms import ExportForm, ImportUploadForm
from matchwerk.profiles.importing import columns
from matchwerk.profiles.importing.jobs import import_job_cancel, import_job_confirm, import_job_start
from matchwerk.profiles.models import ImportJob

CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}
# The status page of a running import reloads itself this often (static/matchwerk/refresh.js).
REFRESH_SECONDS = 2


def _upload_context(form) -> dict:
    return {"form": form, "columns": columns.COLUMNS, "required": columns.REQUIRED_FIELDS}


@staff_view(can_import_organisations)
def import_start(request):
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    if request.method != "POST":
        return render(request, "backoffice/import.html", _upload_context(form))
    if not form.is_valid():
        return render(request, "backoffice/import.html", _upload_context(form), status=400)
    upload = form.cleaned_data["file"]
    job = import_job_start(actor=request.user, name=upload.name, content=upload.read(), language=get_language())
    return redirect("backoffice:import_job", job.pk)


def _own_job(request, pk) -> ImportJob:
    """Only the uploader sees her import (404 for everybody else, staff included)."""
    return get_object_or_404(ImportJob, pk=pk, owner=request.user)


@staff_view(can_import_organisations)
def import_job(request, pk):
    job = _own_job(request, pk)
    context = {**_upload_context(ImportUploadForm()), "job": job, "outcome": job.outcome,
               "refresh_seconds": REFRESH_SECONDS if job.is_active else None}
    return render(request, "backoffice/import_job.html", context)


@staff_view(can_import_organisations)
def import_job_decide(request, pk):
    job = _own_job(request, pk)
    if request.method != "POST":
        return redirect("backoffice:import_job", job.pk)
    if "cancel" in request.POST:
        import_job_cancel(actor=request.user, job=job)
        messages.info(request, _("Import abgebrochen; es wurde nichts gespeichert."))
        return redirect("backoffice:import")
    try:
        import_job_confirm(actor=request.user, job=job)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    return redirect("backoffice:import_job", job.pk)


def _download(content: bytes, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@staff_view(can_import_organisations)
def import_template(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    headers, rows = exporting.template_table()
    if file_format == "csv":
        return _download(exporting.to_csv(headers, rows), "csv", "matchwerk-importvorlage")
    return _download(exporting.to_xlsx(headers, rows, notes=exporting.template_notes()), "xlsx",
                     "matchwerk-importvorlage")


@staff_view(can_export_directory)
def export(request):
    form = ExportForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return render(request, "backoffice/export.html", {"form": form})
    file_format, scope = form.cleaned_data["format"], form.cleaned_data["umfang"]
    organisations = exporting.organisations_for_export(listed_only=scope == "verzeichnis")
    if scope != "verzeichnis" and (regions := region_q(request.user)) is not None:
        organisations = organisations.filter(regions)  # hidden organisations: only of her regions
    headers, rows = exporting.export_table(organisations)
    log_event("matchwerk.profiles.directory.exported", None, {"format": file_format, "scope": scope, "rows": len(rows)},
              actor=request.user)
    content = exporting.to_csv(headers, rows) if file_format == "csv" else exporting.to_xlsx(headers, rows)
    stamp = timezone.localdate().isoformat()
    return _download(content, file_format, f"matchwerk-{'verzeichnis' if scope == 'verzeichnis' else 'alle'}-{stamp}")
