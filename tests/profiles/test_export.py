"""Export of the directory (and, for staff, of everything) to XLSX and CSV."""

import io

import pytest
from django.urls import reverse
from factories import make_need, make_offer, make_organisation, make_programme, make_team_member, make_topic, make_user
from openpyxl import load_workbook

from matchwerk.accounts.enums import Role
from matchwerk.core.models import AccessLog
from matchwerk.profiles.exporting import export_table, organisations_for_export, to_csv
from matchwerk.profiles.importing import organisations_import, plan_import
from matchwerk.profiles.models import Need, Organisation, Person

pytestmark = pytest.mark.django_db


@pytest.fixture
def directory():
    listed = make_organisation(name="Sichtbar AG", key="sichtbar", listed=True, website="https://s.example.org")
    listed.topics.add(make_topic(name="Exportthema"))
    make_need(listed, title="Bedarf A")
    make_need(listed, title="Bedarf B")
    make_offer(listed, title="=HYPERLINK(\"http://evil\")")
    Person.objects.create(organisation=listed, name="Kim Kontakt", email="kim@example.org", phone="+49 351 1")
    hidden = make_organisation(name="Versteckt GmbH", key="versteckt", listed=False)
    return listed, hidden


@pytest.fixture
def staff(client):
    """A matching-team member of a programme covering all regions."""
    user = make_team_member(programme=make_programme())
    client.force_login(user)
    return user


def test_export_table_has_import_columns_and_all_statements(directory):
    headers, rows = export_table(organisations_for_export())
    assert headers[:4] == ["Schlüssel", "Name", "Art", "Region"]
    assert "Bedarf 2 Titel" in headers and "Angebot 2 Titel" in headers
    assert len(rows) == 1
    row = dict(zip(headers, rows[0]))
    assert row["Name"] == "Sichtbar AG" and row["Themen"] == "Exportthema"
    assert (row["Bedarf 1 Titel"], row["Bedarf 2 Titel"]) == ("Bedarf A", "Bedarf B")
    assert row["Ansprechperson"] == "Kim Kontakt" and row["Im Verzeichnis"] == "ja"


def test_export_query_count_is_constant(directory, django_assert_num_queries):
    for _ in range(10):
        make_need(make_organisation(listed=True))
    with django_assert_num_queries(5):   # organisations+regions, topics, needs, offers, contacts
        export_table(organisations_for_export(listed_only=False))


def test_export_csv_opens_in_german_excel_and_defuses_formulas(directory):
    content = to_csv(*export_table(organisations_for_export()))
    assert content.startswith("\ufeff".encode())
    text = content.decode("utf-8-sig")
    assert text.splitlines()[0].startswith("Schlüssel;Name;Art;Region")
    assert "'=HYPERLINK" in text and "'+49 351 1" in text


def test_export_reimports_without_changes_or_duplicates(directory, client, staff):
    for file_format in ("csv", "xlsx"):
        response = client.get(reverse("backoffice:export"), {"format": file_format, "umfang": "alle"})
        plan = plan_import(response.content, f"export.{file_format}")
        assert plan.ok, [str(p) for p in plan.problems]
        assert plan.created == 0 and plan.updated == 2
        organisations_import(actor=None, plan=plan)  # the operator's command line
    assert Organisation.objects.count() == 2 and Need.objects.count() == 2
    listed = Organisation.objects.get(key="sichtbar")
    assert listed.offers.get().title == "=HYPERLINK(\"http://evil\")"
    assert listed.people.get().phone == "+49 351 1"


def test_export_xlsx_directory_only_listed_and_formula_stays_text(directory, client, staff):
    response = client.get(reverse("backoffice:export"), {"format": "xlsx", "umfang": "verzeichnis"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert "matchwerk-verzeichnis-" in response["Content-Disposition"]
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert [r[1] for r in rows[1:]] == ["Sichtbar AG"]
    offer_cell = next(c for c in sheet[2] if isinstance(c.value, str) and c.value.startswith("=HYPERLINK"))
    assert offer_cell.data_type == "s"
    entry = AccessLog.objects.get(action="matchwerk.profiles.directory.exported")
    assert entry.actor == staff and entry.data == {"format": "xlsx", "scope": "verzeichnis", "rows": 1}


def test_export_all_includes_unlisted(directory, client, staff):
    response = client.get(reverse("backoffice:export"), {"format": "csv", "umfang": "alle"})
    text = response.content.decode("utf-8-sig")
    assert "Versteckt GmbH" in text and "Sichtbar AG" in text


def test_export_page_with_invalid_choice_shows_form(client, staff):
    response = client.get(reverse("backoffice:export"), {"format": "pdf", "umfang": "alle"})
    assert response.status_code == 200 and "format" in response.context["form"].errors
    assert not AccessLog.objects.filter(action="matchwerk.profiles.directory.exported").exists()


def test_export_forbidden_for_participants(directory, client):
    client.force_login(make_user())
    response = client.get(reverse("backoffice:export"), {"format": "csv", "umfang": "alle"})
    assert response.status_code == 403 and b"kim@example.org" not in response.content
    assert not AccessLog.objects.filter(action="matchwerk.profiles.directory.exported").exists()


def test_export_anonymous_goes_to_login(directory, client):
    response = client.get(reverse("backoffice:export"), {"format": "csv", "umfang": "alle"})
    assert response.status_code == 302 and response.url.startswith(reverse("accounts:login"))
