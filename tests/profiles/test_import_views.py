"""The import screens: upload -> preview -> confirm, the bad-row-then-fixed journey, denied paths."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from factories import make_organisation, make_user
from test_import_helpers import csv_bytes, org_row, xlsx_bytes

from matchwerk.accounts.enums import Role
from matchwerk.profiles import importing
from matchwerk.core.models import AccessLog
from matchwerk.profiles.models import Organisation, Region

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path):
    settings.DATA_DIR = tmp_path
    return tmp_path


@pytest.fixture
def coordinator(client):
    user = make_user(role=Role.COORDINATOR)
    client.force_login(user)
    return user


def upload(client, content: bytes, name: str = "liste.csv"):
    return client.post(reverse("backoffice:import"), {"file": SimpleUploadedFile(name, content)})


def test_import_page_shows_format_and_templates(client, coordinator):
    response = client.get(reverse("backoffice:import"))
    assert response.status_code == 200
    assert reverse("backoffice:import_template", args=["xlsx"]) in response.content.decode()


def test_import_bad_row_shows_row_and_column_then_fixed_file_imports_everything(client, coordinator, data_dir):
    rows = [org_row(1), org_row(2, Region="Atlantis"), org_row(3)]
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 400
    page = response.content.decode()
    assert "es wurde nichts importiert" in page
    assert "<td>3</td>" in page and "D (Region)" in page and "Unbekannte Region „Atlantis“" in page
    assert not Organisation.objects.exists() and not list(data_dir.glob("imports/*"))

    rows[1]["Region"] = "Leipzig"
    response = upload(client, csv_bytes(rows))
    assert response.status_code == 200
    assert "3 Organisation(en), davon 3 neu und 0 zu aktualisieren" in response.content.decode()
    assert not Organisation.objects.exists()           # the preview writes nothing
    token = response.context["token"]
    response = client.post(reverse("backoffice:import_confirm"), {"token": token, "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("backoffice:organisation_list")
    assert Organisation.objects.count() == 3
    assert Organisation.objects.get(key="org-2").region.name == "Leipzig"
    assert not list(data_dir.glob("imports/*.upload"))  # the kept file is gone
    assert AccessLog.objects.filter(action="matchwerk.profiles.organisations.imported", actor=coordinator).exists()
    # The same token cannot be used twice.
    response = client.post(reverse("backoffice:import_confirm"), {"token": token, "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("backoffice:import")


def test_import_preview_of_xlsx_reports_updates_and_derived_keys(client, coordinator):
    upload(client, csv_bytes([org_row(1)]))
    client.post(reverse("backoffice:import_confirm"), {"token": client.session["backoffice_import"]["token"]})
    response = upload(client, xlsx_bytes([org_row(1), org_row(2, **{"Schlüssel": None})]), "liste.xlsx")
    assert response.status_code == 200
    page = response.content.decode()
    assert "davon 1 neu und 1 zu aktualisieren" in page
    assert "aus Name gebildet" in page and "organisation-nr-2" in page


def test_import_confirm_revalidates_the_kept_file(client, coordinator):
    response = upload(client, csv_bytes([org_row(1, Region="Bautzen")]))
    token = response.context["token"]
    Region.objects.filter(name="Bautzen").update(name="Bautzen (umbenannt)", slug="bautzen-alt")
    response = client.post(reverse("backoffice:import_confirm"), {"token": token})
    assert response.status_code == 400 and "Unbekannte Region „Bautzen“" in response.content.decode()
    assert not Organisation.objects.exists()


def test_import_cancel_discards_the_file(client, coordinator, data_dir):
    token = upload(client, csv_bytes([org_row(1)])).context["token"]
    response = client.post(reverse("backoffice:import_confirm"), {"token": token, "cancel": "1"})
    assert response.status_code == 302
    assert not Organisation.objects.exists() and not list(data_dir.glob("imports/*.upload"))


def test_import_confirm_with_another_users_token_is_refused(client, coordinator):
    token = upload(client, csv_bytes([org_row(1)])).context["token"]
    other = make_user(role=Role.MATCHING_TEAM)
    client.force_login(other)
    response = client.post(reverse("backoffice:import_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("backoffice:import")
    assert not Organisation.objects.exists()


def test_import_confirm_with_wrong_token_is_refused(client, coordinator):
    upload(client, csv_bytes([org_row(1)]))
    response = client.post(reverse("backoffice:import_confirm"), {"token": "geraten"})
    assert response.status_code == 302 and not Organisation.objects.exists()


def test_import_upload_without_file_shows_form_error(client, coordinator):
    response = client.post(reverse("backoffice:import"), {})
    assert response.status_code == 400 and response.context["form"].errors["file"]


@pytest.mark.parametrize("file_format, magic", [("xlsx", b"PK\x03\x04"), ("csv", b"\xef\xbb\xbfSchl")])
def test_import_template_downloads_and_imports_cleanly(client, coordinator, file_format, magic):
    response = client.get(reverse("backoffice:import_template", args=[file_format]))
    assert response.status_code == 200 and response.content.startswith(magic)
    assert f"matchwerk-importvorlage.{file_format}" in response["Content-Disposition"]
    preview = upload(client, response.content, f"vorlage.{file_format}")
    assert preview.status_code == 200, preview.context["plan"].problems
    assert preview.context["plan"].rows[0].key == "beispiel-gmbh"


def test_import_template_unknown_format_is_404(client, coordinator):
    assert client.get("/backoffice/import/vorlage.pdf").status_code == 404


@pytest.mark.parametrize("name", ["backoffice:import", "backoffice:import_confirm"])
def test_import_pages_are_forbidden_for_participants(client, name):
    client.force_login(make_user())
    assert client.get(reverse(name)).status_code == 403
    assert client.post(reverse(name), {"file": SimpleUploadedFile("a.csv", csv_bytes([org_row(1)]))}).status_code == 403
    assert not Organisation.objects.exists()


@pytest.mark.parametrize("name, args", [("backoffice:import", []), ("backoffice:import_confirm", []),
                                        ("backoffice:import_template", ["csv"])])
def test_import_pages_send_anonymous_users_to_login(client, name, args):
    response = client.get(reverse(name, args=args))
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))


def test_import_template_is_forbidden_for_participants(client):
    client.force_login(make_user())
    assert client.get(reverse("backoffice:import_template", args=["xlsx"])).status_code == 403


def test_import_confirm_when_a_key_was_taken_meanwhile_imports_nothing(client, coordinator, monkeypatch):
    token = upload(client, csv_bytes([org_row(1), org_row(2)])).context["token"]
    original = importing.build_plan

    def plan_then_race(table):
        plan = original(table)
        make_organisation(key="org-2", name="Schneller")   # created between check and write
        return plan

    monkeypatch.setattr(importing, "build_plan", plan_then_race)
    response = client.post(reverse("backoffice:import_confirm"), {"token": token})
    assert response.status_code == 302 and response.url == reverse("backoffice:import")
    assert list(Organisation.objects.values_list("name", flat=True)) == ["Schneller"]
