"""Spreadsheet import (upload -> preview -> confirm) and export of organisations.

Between preview and confirmation the uploaded file is kept under DATA_DIR/imports with a
random token that is also stored in the uploader's session; confirming reads the file
again and re-validates it, so a change in between (a region deleted) cannot slip through.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.db import IntegrityError
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk import permissions
from matchwerk.core.audit import log_event
from matchwerk.profiles import exporting
from matchwerk.profiles.backoffice.access import staff_view
from matchwerk.profiles.backoffice_forms import ExportForm, ImportUploadForm
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.importing import columns, organisations_import, plan_import
from matchwerk.profiles.models import Region

SESSION_KEY = "backoffice_import"
PREVIEW_ROWS = 200
KEEP_SECONDS = 24 * 3600
CONTENT_TYPES = {"csv": "text/csv; charset=utf-8",
                 "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"}


def _import_dir() -> Path:
    folder = Path(settings.DATA_DIR) / "imports"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _forget_old_files(folder: Path) -> None:
    limit = time.time() - KEEP_SECONDS
    for path in folder.glob("*.upload"):
        if path.stat().st_mtime < limit:
            path.unlink(missing_ok=True)


def _pending(request) -> tuple[dict, Path] | tuple[None, None]:
    """The upload waiting for this user's confirmation, if the posted token matches."""
    pending = request.session.get(SESSION_KEY)
    token = request.POST.get("token", "")
    if not pending or pending.get("user") != request.user.pk or not token \
            or not secrets.compare_digest(pending.get("token", ""), token):
        return None, None
    path = _import_dir() / f"{pending['token']}.upload"
    return (pending, path) if path.is_file() else (None, None)


def _preview_rows(plan) -> list[dict]:
    regions = dict(Region.objects.values_list("pk", "name"))
    rows = []
    for row in plan.rows[:PREVIEW_ROWS]:
        kind = row.values.get("kind")
        rows.append({
            "row": row.row, "action": row.action, "key": row.key, "key_derived": row.key_derived, "name": row.name,
            "kind": OrganisationKind(kind).label if kind else "", "region": regions.get(row.values.get("region_id")),
            "contact": row.contact.name if row.contact else "", "needs": len(row.needs or []),
            "offers": len(row.offers or []),
        })
    return rows


@staff_view(permissions.can_import_organisations)
def import_start(request):
    form = ImportUploadForm(request.POST, request.FILES) if request.method == "POST" else ImportUploadForm()
    context = {"form": form, "columns": columns.COLUMNS, "required": columns.REQUIRED_FIELDS}
    if request.method != "POST":
        return render(request, "backoffice/import.html", context)
    if not form.is_valid():
        return render(request, "backoffice/import.html", context, status=400)
    upload = form.cleaned_data["file"]
    content = upload.read()
    plan = plan_import(content, upload.name)
    context.update({"plan": plan, "filename": upload.name})
    if not plan.ok:
        log_event("matchwerk.profiles.organisations.import_rejected", None,
                  {"file": upload.name, "problems": plan.total_problems}, actor=request.user)
        return render(request, "backoffice/import.html", context, status=400)
    folder = _import_dir()
    _forget_old_files(folder)
    token = secrets.token_urlsafe(24)
    (folder / f"{token}.upload").write_bytes(content)
    request.session[SESSION_KEY] = {"token": token, "name": upload.name, "user": request.user.pk,
                                    "at": timezone.now().isoformat()}
    context.update({"token": token, "preview": _preview_rows(plan), "more": max(0, len(plan.rows) - PREVIEW_ROWS)})
    return render(request, "backoffice/import_preview.html", context)


@staff_view(permissions.can_import_organisations)
def import_confirm(request):
    if request.method != "POST":
        return redirect("backoffice:import")
    pending, path = _pending(request)
    if pending is None:
        messages.error(request, _("Diese Vorschau ist abgelaufen oder gehört zu einer anderen Sitzung. Bitte laden "
                                  "Sie die Datei erneut hoch."))
        return redirect("backoffice:import")
    if "cancel" in request.POST:
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.info(request, _("Import abgebrochen; es wurde nichts gespeichert."))
        return redirect("backoffice:import")
    plan = plan_import(path.read_bytes(), pending["name"])
    if not plan.ok:
        form = ImportUploadForm()
        return render(request, "backoffice/import.html", {
            "form": form, "plan": plan, "filename": pending["name"], "columns": columns.COLUMNS,
            "required": columns.REQUIRED_FIELDS}, status=400)
    try:
        result = organisations_import(actor=request.user, plan=plan, source=pending["name"])
    except IntegrityError:
        # Someone created an organisation with one of the new keys in the meantime; the
        # transaction was rolled back, so nothing was imported. The coordinator uploads again.
        messages.error(request, _("Während des Imports wurden Organisationen mit denselben Schlüsseln angelegt; es "
                                  "wurde nichts importiert. Bitte laden Sie die Datei erneut hoch."))
        return redirect("backoffice:import")
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    messages.success(request, _("Import abgeschlossen: %(created)d Organisation(en) neu angelegt, %(updated)d "
                                "aktualisiert.") % {"created": result.created, "updated": result.updated})
    return redirect("backoffice:organisation_list")


def _download(content: bytes, file_format: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[file_format])
    response["Content-Disposition"] = f'attachment; filename="{filename}.{file_format}"'
    return response


@staff_view(permissions.can_import_organisations)
def import_template(request, file_format: str):
    if file_format not in CONTENT_TYPES:
        raise Http404
    headers, rows = exporting.template_table()
    if file_format == "csv":
        return _download(exporting.to_csv(headers, rows), "csv", "matchwerk-importvorlage")
    return _download(exporting.to_xlsx(headers, rows, notes=exporting.template_notes()), "xlsx",
                     "matchwerk-importvorlage")


@staff_view(permissions.can_export_directory)
def export(request):
    form = ExportForm(request.GET or None)
    if not form.is_bound or not form.is_valid():
        return render(request, "backoffice/export.html", {"form": form})
    file_format, scope = form.cleaned_data["format"], form.cleaned_data["umfang"]
    headers, rows = exporting.export_table(exporting.organisations_for_export(listed_only=scope == "verzeichnis"))
    log_event("matchwerk.profiles.directory.exported", None, {"format": file_format, "scope": scope, "rows": len(rows)},
              actor=request.user)
    content = exporting.to_csv(headers, rows) if file_format == "csv" else exporting.to_xlsx(headers, rows)
    stamp = timezone.localdate().isoformat()
    return _download(content, file_format, f"matchwerk-{'verzeichnis' if scope == 'verzeichnis' else 'alle'}-{stamp}")
