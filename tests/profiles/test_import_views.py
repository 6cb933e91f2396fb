"""The import screens: upload -> check task -> preview -> confirm -> apply task, the
bad-row-then-fixed journey, the progress page, denied paths (another user's import)."""

import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import make_organisation, make_user
from test_import_helpers import csv_bytes, org_row, xlsx_bytes

from matchwerk.accounts.enums import Role
from matchwerk.core.models import AccessLog, CachedFile
from matchwerk.profiles import importing
from matchwerk.profiles.enums import ImportStatus
from matchwerk.profiles.models import ImportJob, Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture
def coordinator(client):
    """A coordinator of every (seeded) region, so that any row of the test files is hers."""
    user = make_user(role=Role.COORDINATOR)
    user.coordinated_regions.set(Region.objects.all())
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str = "liste.csv"):
    """Upload a file; the check runs as a task (immediately in tests). Returns the status page."""
    response = client.post(reverse("backoffice:import"), {"file": SimpleUploadedFile(name, content)})
    assert response.status_code == 302, response
    job = ImportJob.objects.get(pk=response.url.rstrip("/").split("/")[-1])
    assert response.url == reverse("backoffice:import_job", args=[job.pk])
    page = client.get(response.url)
    page.job = job
    return page


def decide(client, job, **data):
    return client.post(reverse("backoffice:import_job_decide", args=[job.pk]), data or {"confirm": "1"})


def test_import_page_shows_format_and_templates(client, coordinator):
    response = client.get(reverse("backoffice:import"))
    assert response.status_code == 200
    assert reverse("backoffice:import_template", args=["xlsx"]) in response.content.decode()


def test_import_bad_row_shows_row_and_column_then_fixed_file_imports_everything(client, coordinator):
    rows = [org_row(1), org_row(2, Region="Atlantis"), org_row(3)]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 200 and response.job.status == ImportStatus.INVALID
    page = response.content.decode()
    assert "es wurde nichts importiert" in page
    assert "<td>3</td>" in page and "D (Region)" in page and "Unbekannte Region „Atlantis“" in page
    assert not Organisation.objects.exists() and not CachedFile.objects.exists()
    assert decide(client, response.job).status_code == 302   # an invalid file cannot be confirmed
    assert not Organisation.objects.exists()

    rows[1]["Region"] = "Leipzig"
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 200 and response.job.status == ImportStatus.READY
    assert "3 Organisation(en), davon 3 neu und 0 zu aktualisieren" in response.content.decode()
    assert not Organisation.objects.exists()           # the preview writes nothing
    assert CachedFile.objects.filter(owner=coordinator).count() == 1
    confirmed = decide(client, response.job)
    assert confirmed.status_code == 302 and confirmed.url == reverse("backoffice:import_job", args=[response.job.pk])
    outcome = client.get(confirmed.url).content.decode()
    assert "Import abgeschlossen: 3 Organisation(en) neu angelegt, 0 aktualisiert." in outcome
    assert Organisation.objects.count() == 3
    assert Organisation.objects.get(key="org-2").region.name == "Leipzig"
    assert not CachedFile.objects.exists()  # the kept file is gone
    assert AccessLog.objects.filter(action="matchwerk.profiles.organisations.imported", actor=coordinator).exists()
    # The same job cannot be applied twice.
    decide(client, response.job)
    assert Organisation.objects.count() == 3
    assert ImportJob.objects.get(pk=response.job.pk).status == ImportStatus.DONE


def test_import_preview_of_xlsx_reports_updates_and_derived_keys(client, coordinator):
    decide(client, upload(client, csv_bytes([org_row(1)])).job)
    response = upload(client, xlsx_bytes([org_row(1), org_row(2, **{"Schlüssel": None})]), "liste.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "davon 1 neu und 1 zu aktualisieren" in page
    assert "aus Name gebildet" in page and "organisation-nr-2" in page


def test_import_confirm_revalidates_the_kept_file(client, coordinator):
    job = upload(client, csv_bytes([org_row(1, Region="Bautzen")])).job
    Region.objects.filter(name="Bautzen").update(name="Bautzen (umbenannt)", slug="bautzen-alt")
    response = client.get(decide(client, job).url)
    assert response.status_code == 200 and "Unbekannte Region „Bautzen“" in response.content.decode()
    assert not Organisation.objects.exists()


def test_import_cancel_discards_the_file(client, coordinator):
    job = upload(client, csv_bytes([org_row(1)])).job
    response = decide(client, job, cancel="1")
    assert response.status_code == 302 and response.url == reverse("backoffice:import")
    assert not Organisation.objects.exists() and not CachedFile.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.CANCELLED


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.MATCHING_TEAM, Role.ADMIN])
def test_another_user_can_neither_see_nor_confirm_someones_import(client, coordinator, role):
    job = upload(client, csv_bytes([org_row(1)])).job
    client.force_login(make_user(role=role))
    denied = {403, 404} if role == Role.MATCHING_TEAM else {404}  # the matching team does not import at all
    assert client.get(reverse("backoffice:import_job", args=[job.pk])).status_code in denied
    assert decide(client, job).status_code in denied
    assert decide(client, job, cancel="1").status_code in denied
    assert not Organisation.objects.exists()
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.READY


def test_unknown_import_is_404(client, coordinator):
    assert client.get(reverse("backoffice:import_job", args=[uuid.uuid4()])).status_code == 404


def test_import_upload_without_file_shows_form_error(client, coordinator):
    response = client.post(reverse("backoffice:import"), {})
    assert response.status_code == 400 and response.context["form"].errors["file"]
    assert not ImportJob.objects.exists()


def test_running_import_page_shows_progress_and_refreshes_with_a_static_script(client, coordinator, settings):
    settings.TASKS = {"default": {**settings.TASKS["default"], "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    response = client.post(reverse("backoffice:import"), {"file": SimpleUploadedFile("a.csv", csv_bytes([org_row(1)]))})
    page = client.get(response.url).content.decode()   # the worker has not taken the check yet
    assert "Die Datei wird geprüft" in page and '<progress id="import-progress" max="100" value="0">' in page
    assert 'data-refresh-seconds="2"' in page and "matchwerk/refresh.js" in page
    assert "Jetzt aktualisieren" in page   # without JavaScript: a plain link


@pytest.mark.parametrize("file_format, magic", [("xlsx", b"PK\x03\x04"), ("csv", b"\xef\xbb\xbfSchl")])
def test_import_template_downloads_and_imports_cleanly(client, coordinator, file_format, magic):
    response = client.get(reverse("backoffice:import_template", args=[file_format]))
    assert response.status_code == 200 and response.content.startswith(magic)
    assert f"matchwerk-importvorlage.{file_format}" in response["Content-Disposition"]
    preview = upload(client, response.content, f"vorlage.{file_format}")
    assert preview.job.status == ImportStatus.READY, preview.job.outcome
    assert preview.job.outcome["preview"][0]["key"] == "beispiel-gmbh"


def test_import_template_unknown_format_is_404(client, coordinator):
    assert client.get("/backoffice/import/vorlage.pdf").status_code == 404


JOB = "00000000-0000-4000-8000-000000000000"


@pytest.mark.parametrize("name, args", [("backoffice:import", []), ("backoffice:import_job", [JOB]),
                                        ("backoffice:import_job_decide", [JOB])])
def test_import_pages_are_forbidden_for_participants(client, name, args):
    client.force_login(make_user())
    assert client.get(reverse(name, args=args)).status_code == 403
    response = client.post(reverse(name, args=args), {"file": SimpleUploadedFile("a.csv", csv_bytes([org_row(1)]))})
    assert response.status_code == 403
    assert not Organisation.objects.exists() and not ImportJob.objects.exists()


@pytest.mark.parametrize("name, args", [("backoffice:import", []), ("backoffice:import_job", [JOB]),
                                        ("backoffice:import_job_decide", [JOB]), ("backoffice:import_template", ["csv"])])
def test_import_pages_send_anonymous_users_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_import_template_is_forbidden_for_participants(client):
    client.force_login(make_user())
    assert client.get(reverse("backoffice:import_template", args=["xlsx"])).status_code == 403


def test_import_confirm_when_a_key_was_taken_meanwhile_imports_nothing(client, coordinator, monkeypatch):
    job = upload(client, csv_bytes([org_row(1), org_row(2)])).job
    original = importing.build_plan

    def plan_then_race(table):
        plan = original(table)
        make_organisation(key="org-2", name="Schneller")   # created between check and write
        return plan

    monkeypatch.setattr(importing, "build_plan", plan_then_race)
    response = client.get(decide(client, job).url)
    assert "es wurde nichts importiert" in response.content.decode()
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Schneller"]
    assert ImportJob.objects.get(pk=job.pk).status == ImportStatus.FAILED
