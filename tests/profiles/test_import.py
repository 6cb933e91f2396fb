"""Server-side import: reading, checking (row and column in every error), all-or-nothing writes."""

import datetime
import io
import time

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from factories import make_organisation, make_user
from openpyxl import Workbook
from test_import_helpers import HEADERS, csv_bytes, org_row, xlsx_bytes

from matchwerk.core.models import AccessLog
from matchwerk.profiles.importing import organisations_import, plan_import
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region

pytestmark = pytest.mark.django_db


def run_import(content: bytes, name: str = "liste.csv"):
    plan = plan_import(content, name)
    assert plan.ok, [str(p) for p in plan.problems]
    return organisations_import(actor=None, plan=plan)


def messages(plan) -> list[str]:
    return [str(p) for p in plan.problems]


def test_import_csv_creates_organisations_with_contact_needs_offers_and_topics():
    result = run_import(csv_bytes([org_row(1, Website="www.example.org", **{"Größe": "12", "Gründungsjahr": "1990"}),
                                   org_row(2)]))
    assert (result.created, result.updated) == (2, 0)
    organisation = Organisation.objects.get(key="org-1")
    assert organisation.name == "Organisation Nr. 1"
    assert organisation.kind == "sme" and organisation.region.name == "Dresden"
    assert organisation.website == "https://www.example.org"
    assert organisation.size == "10-49" and organisation.founded == 1990
    assert organisation.listed_in_directory is True and organisation.open_for_matching is False
    assert sorted(t.name_de for t in organisation.topics.all()) == ["Digitalisierung", "Tourismus"]
    person = organisation.people.get()
    assert (person.name, person.email, person.is_contact, person.user) == ("Person 1", "person1@example.org", True, None)
    assert [n.title for n in organisation.needs.all()] == ["Bedarf von 1"]
    assert [o.title for o in organisation.offers.all()] == ["Angebot von 1"]


def test_import_xlsx_reads_numbers_and_text():
    result = run_import(xlsx_bytes([org_row(1, **{"Gründungsjahr": 2015, "Größe": 3, "Telefon": "0351 123"})]),
                        "liste.xlsx")
    assert result.created == 1
    organisation = Organisation.objects.get(key="org-1")
    assert organisation.founded == 2015 and organisation.size == "2-9"
    assert organisation.people.get().phone == "0351 123"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ","])
def test_import_csv_detects_encoding_and_delimiter(encoding, delimiter):
    rows = [org_row(1, Name="Bäckerei Müller & Söhne", Region="Görlitz", **{"Über uns": "Brötchen, Kuchen; Torten"})]
    run_import(csv_bytes(rows, delimiter=delimiter, encoding=encoding))
    organisation = Organisation.objects.get(key="org-1")
    assert organisation.name == "Bäckerei Müller & Söhne"
    assert organisation.region.name == "Görlitz"
    assert organisation.about == "Brötchen, Kuchen; Torten"


def test_import_accepts_english_headers_kinds_and_tolerant_region_and_topic_names():
    headers = ["Key", "Name", "Type", "Region", "Topics", "Contact person", "Email", "Need 1 title", "Offer 2 title",
               "Listed in directory"]
    rows = [{"Key": "a", "Name": "Alpha", "Type": "Public administration", "Region": "GOERLITZ",
             "Topics": "digitalisation; artificial intelligence", "Contact person": "Ann", "Email": "ANN@example.org",
             "Need 1 title": "Open data", "Offer 2 title": "Rooms", "Listed in directory": "yes"},
            {"Key": "b", "Name": "Beta", "Type": "research", "Region": "saechsische schweiz osterzgebirge"},
            {"Key": "c", "Name": "Gamma", "Type": "Kreativschaffende", "Region": "Halle (Saale)"}]
    run_import(csv_bytes(rows, headers, delimiter=","))
    alpha = Organisation.objects.get(key="a")
    assert alpha.kind == "public" and alpha.region.name == "Görlitz" and alpha.listed_in_directory
    assert sorted(t.slug for t in alpha.topics.all()) == ["digitalisierung", "kuenstliche-intelligenz"]
    assert alpha.people.get().email == "ann@example.org"
    assert [o.title for o in alpha.offers.all()] == ["Rooms"]
    assert Organisation.objects.get(key="b").region.name == "Sächsische Schweiz-Osterzgebirge"
    assert Organisation.objects.get(key="c").kind == "creative"


def test_import_errors_name_row_and_column_and_nothing_is_written():
    rows = [org_row(1), org_row(2, Art="Bäckerei"), org_row(3), org_row(4, Region="Atlantis", **{"E-Mail": "kaputt"})]
    plan = plan_import(csv_bytes(rows), "liste.csv")
    assert not plan.ok
    assert messages(plan) == [
        "Zeile 3, Spalte C („Art“): Unbekannte Art „Bäckerei“. Art: KMU, Digitales Startup, Kreativschaffende, "
        "Öffentliche Verwaltung, Forschung, Netzwerk/Intermediär (oder die Codes sme, startup, creative, public, "
        "research, intermediary)",
        "Zeile 5, Spalte D („Region“): Unbekannte Region „Atlantis“. Regionen werden im Backoffice gepflegt; die "
        "Vorlage listet alle bekannten.",
        "Zeile 5, Spalte L („E-Mail“): Bitte gültige E-Mail-Adresse eingeben.",
    ]
    with pytest.raises(ValueError):
        organisations_import(actor=None, plan=plan)
    assert not Organisation.objects.exists()


def test_import_reports_every_bad_cell_of_a_row():
    row = org_row(1, Name="", Art="", Region="", Website="nicht da", **{"Gründungsjahr": "neunzehn", "Größe": "groß",
                                                                         "Themen": "Digitalisierung; Quatsch",
                                                                         "Im Verzeichnis": "vielleicht",
                                                                         "Bedarf 1 Titel": "",
                                                                         "Bedarf 1 Beschreibung": "ohne Titel"})
    plan = plan_import(csv_bytes([row]), "liste.csv")
    letters = [p.letter for p in plan.problems]
    assert letters == ["B", "C", "D", "F", "G", "H", "J", "S", "O"]
    assert all(p.row == 2 for p in plan.problems)
    assert "„Quatsch“" in str(plan.problems[6])


def test_import_missing_required_columns_is_one_clear_error():
    plan = plan_import(csv_bytes([{"Firma": "A"}], ["Firma", "Straße"]), "liste.csv")
    assert len(plan.problems) == 1
    assert "Pflichtspalte(n) fehlen: „Art“, „Region“" in str(plan.problems[0])
    assert "Gefundene Spalten: „Firma“, „Straße“" in str(plan.problems[0])


def test_import_duplicate_column_is_an_error():
    plan = plan_import(csv_bytes([org_row(1)], HEADERS + ["Email"]), "liste.csv")
    assert messages(plan) == ["Zeile 1, Spalte U („Email“): Diese Spalte kommt doppelt vor (wie Spalte L „E-Mail“)."]


def test_import_unknown_columns_are_ignored_with_a_warning():
    plan = plan_import(csv_bytes([{**org_row(1), "Notizen": "x"}], HEADERS + ["Notizen"]), "liste.csv")
    assert plan.ok
    assert plan.warnings == ["Spalte U („Notizen“) ist unbekannt und wird ignoriert."]


def test_import_missing_key_is_derived_from_the_name_and_reported():
    plan = plan_import(csv_bytes([org_row(1, **{"Schlüssel": "", "Name": "Müller & Söhne GmbH"})]), "liste.csv")
    assert plan.rows[0].key == "mueller-soehne-gmbh" and plan.rows[0].key_derived
    assert "Zeile 2: mueller-soehne-gmbh" in plan.warnings[0]


def test_import_duplicate_key_in_file_names_both_rows():
    plan = plan_import(csv_bytes([org_row(1), org_row(2), org_row(3, **{"Schlüssel": "org-1"})]), "liste.csv")
    assert messages(plan) == ["Zeile 4, Spalte A („Schlüssel“): Der Schlüssel „org-1“ kommt schon in Zeile 2 vor. "
                              "Jede Organisation darf nur einmal in der Datei stehen; bei gleichnamigen "
                              "Organisationen bitte die Spalte „Schlüssel“ ausfüllen."]


def test_reimport_updates_by_key_instead_of_duplicating():
    run_import(csv_bytes([org_row(1, **{"Bedarf 1 Titel": "Alt", "Angebot 1 Titel": "Bleibt"}), org_row(2)]))
    organisation = Organisation.objects.get(key="org-1")
    kept_offer = organisation.offers.get()
    organisation.people.create(name="Participant", email="p@example.org", user=make_user())
    rows = [org_row(1, Name="Neuer Name", Art="Forschung", Themen="Bildung", Ort="",
                    **{"Ansprechperson": "Person Eins", "E-Mail": "PERSON1@example.org", "Telefon": "0341 1",
                       "Bedarf 1 Titel": "Neu", "Angebot 1 Titel": "bleibt", "Angebot 1 Beschreibung": "mehr",
                       "Matching": "ja"}),
            org_row(3)]
    result = run_import(csv_bytes(rows))
    assert (result.created, result.updated) == (1, 1)
    assert Organisation.objects.count() == 3
    organisation.refresh_from_db()
    assert (organisation.name, organisation.kind, organisation.town) == ("Neuer Name", "research", "Dresden")
    assert organisation.open_for_matching is True
    assert [t.name_de for t in organisation.topics.all()] == ["Bildung"]
    contact = organisation.people.get(email="person1@example.org")
    assert (contact.name, contact.phone) == ("Person Eins", "0341 1")
    assert organisation.people.count() == 2   # the participant with an account is untouched
    assert [n.title for n in organisation.needs.all()] == ["Neu"]
    offer = organisation.offers.get()
    assert offer.pk == kept_offer.pk and (offer.title, offer.description) == ("bleibt", "mehr")


def test_reimport_with_empty_cells_keeps_existing_values():
    run_import(csv_bytes([org_row(1, Website="https://a.example.org")]))
    run_import(csv_bytes([{"Schlüssel": "org-1", "Name": "Organisation Nr. 1", "Art": "KMU", "Region": "Dresden"}]))
    organisation = Organisation.objects.get(key="org-1")
    assert organisation.website == "https://a.example.org"
    assert organisation.topics.count() == 2 and organisation.needs.count() == 1 and organisation.people.count() == 1
    assert organisation.listed_in_directory is True


def test_reimport_updates_organisations_created_elsewhere():
    existing = make_organisation(key="vorhanden", name="Alt", listed=False)
    run_import(csv_bytes([org_row(1, **{"Schlüssel": "vorhanden", "Name": "Neu"})]))
    existing.refresh_from_db()
    assert existing.name == "Neu" and Organisation.objects.count() == 1


def test_import_is_all_or_nothing_when_the_database_refuses(monkeypatch):
    plan = plan_import(csv_bytes([org_row(1), org_row(2)]), "liste.csv")
    Region.objects.filter(name="Dresden").update(name="Dresden (alt)")

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(Offer.objects, "bulk_create", broken)
    with pytest.raises(RuntimeError):
        organisations_import(actor=None, plan=plan)
    assert not Organisation.objects.exists() and not Person.objects.exists() and not Need.objects.exists()


def test_import_logs_who_imported():
    user = make_user(role="coordinator")
    user.coordinated_regions.set(Region.objects.all())
    plan = plan_import(csv_bytes([org_row(1)]), "liste.csv")
    organisations_import(actor=user, plan=plan, source="liste.csv")
    entry = AccessLog.objects.get(action="matchwerk.profiles.organisations.imported")
    assert entry.actor == user and entry.data["created"] == 1


@pytest.mark.parametrize("content, expected", [
    (b"", "Die Datei ist leer."),
    (b"   \r\n", "Die Datei ist leer."),
    ("Name;Art;Region\r\n".encode(), "Die Datei enthält Spaltenüberschriften, aber keine Datenzeilen."),
    (b"PK\x03\x04kaputt", "Die Excel-Datei ist beschädigt oder keine gültige .xlsx-Datei."),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(200), "Dieses Dateiformat wird nicht unterstützt."),
    (bytes(range(256)) * 4, "Die Datei ist keine Textdatei (CSV) und keine Excel-Arbeitsmappe (.xlsx)."),
    ("Name;Art;Region\r\nA;KMU;Dresden\r\n".encode("utf-16"), None),
], ids=["empty", "blank", "header-only", "broken-xlsx", "old-xls", "binary", "utf-16"])
def test_import_malformed_files_give_one_clear_error_or_succeed(content, expected):
    plan = plan_import(content, "liste.csv")
    if expected is None:   # UTF-16 (Excel's "Unicode text") is read, not refused
        assert plan.ok and plan.rows[0].name == "A"
        return
    assert not plan.ok and len(plan.problems) == 1
    assert str(plan.problems[0]).startswith(expected)


def test_import_file_over_the_size_cap_is_refused(settings):
    plan = plan_import(b"Name;Art;Region\r\n" + b"x;KMU;Dresden\r\n" * 800_000, "gross.csv")
    assert "größer als 10 MB" in str(plan.problems[0])


def test_import_too_many_rows_is_refused_with_a_clear_message():
    content = b"Name;Art;Region\r\n" + b"".join(b"Org %d;KMU;Dresden\r\n" % n for n in range(20_001))
    plan = plan_import(content, "viele.csv")
    assert str(plan.problems[0]).startswith("Die Datei enthält 20001 Datenzeilen; höchstens 20000")


def test_import_ten_thousand_rows_then_reimport_updates_by_key():
    """Correctness at size; the speed is measured by bench/import_speed.py, not here."""
    rows = [org_row(n, Themen="Digitalisierung") for n in range(10_000)]
    content = csv_bytes(rows)
    result = run_import(content)
    assert result.created == 10_000
    assert Organisation.objects.count() == 10_000 and Person.objects.count() == 10_000
    assert Need.objects.count() == 10_000 and Offer.objects.count() == 10_000
    changed = csv_bytes([org_row(n, Name=f"Umbenannt {n}", Themen="Bildung", **{"Bedarf 1 Titel": f"Neu {n}"})
                         for n in range(10_000)])
    result = run_import(changed)
    assert (result.created, result.updated) == (0, 10_000) and Organisation.objects.count() == 10_000
    assert Organisation.objects.filter(name__startswith="Umbenannt").count() == 10_000
    assert Need.objects.filter(title__startswith="Neu").count() == 10_000 and Need.objects.count() == 10_000


def test_import_ten_thousand_rows_with_one_bad_row_imports_nothing():
    rows = [org_row(n) for n in range(10_000)]
    rows[9_000]["Region"] = "Nirgendwo"
    content = xlsx_bytes(rows)
    started = time.perf_counter()
    plan = plan_import(content, "liste.xlsx")
    print(f"10,000 XLSX rows read and checked in {time.perf_counter() - started:.1f} s")
    assert [(p.row, p.letter) for p in plan.problems] == [(9_002, "D")]
    assert not Organisation.objects.exists()


def test_import_command_dry_run_and_import(tmp_path, capsys):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes([org_row(1), org_row(2)]))
    call_command("import_organisations", str(path), "--dry-run")
    assert "2 neu" in capsys.readouterr().out and not Organisation.objects.exists()
    call_command("import_organisations", str(path))
    assert Organisation.objects.count() == 2


def test_import_command_prints_every_error_and_imports_nothing(tmp_path, capsys):
    path = tmp_path / "liste.csv"
    path.write_bytes(csv_bytes([org_row(1, Art="?"), org_row(2, Region="?")]))
    with pytest.raises(CommandError, match="2 Fehler"):
        call_command("import_organisations", str(path))
    err = capsys.readouterr().err
    assert "Zeile 2, Spalte C („Art“)" in err and "Zeile 3, Spalte D („Region“)" in err
    assert not Organisation.objects.exists()


def test_import_keys_are_taken_as_written_or_made_valid():
    existing = make_organisation(key="Alt-Key_1", name="Alt")
    run_import(csv_bytes([org_row(1, **{"Schlüssel": "Alt-Key_1", "Name": "Neu"}),
                          org_row(2, **{"Schlüssel": "Bäckerei Süß"})]))
    existing.refresh_from_db()
    assert existing.name == "Neu"
    assert Organisation.objects.filter(key="baeckerei-suess").exists() and Organisation.objects.count() == 2


def test_import_skips_a_title_line_above_the_headers_and_keeps_excel_row_numbers():
    content = ("Teilnehmende Cross-Innovation 2026\r\n\r\n".encode("utf-8")
               + csv_bytes([org_row(1), org_row(2, Art="?")], encoding="utf-8"))
    plan = plan_import(content, "liste.csv")
    assert [(p.row, p.letter) for p in plan.problems] == [(5, "C")]


def test_import_title_line_in_xlsx_is_skipped():
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Liste der Teilnehmenden"])
    sheet.append(["Name", "Art", "Region"])
    sheet.append(["Alpha", "KMU", "Dresden"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    plan = plan_import(buffer.getvalue(), "liste.xlsx")
    assert plan.ok and plan.rows[0].row == 3 and plan.rows[0].name == "Alpha"


def test_import_contact_data_without_a_name_is_an_error():
    plan = plan_import(csv_bytes([org_row(1, Ansprechperson="")]), "liste.csv")
    assert messages(plan) == ["Zeile 2, Spalte K („Ansprechperson“): Die Ansprechperson fehlt, obwohl Kontaktdaten "
                              "angegeben sind."]


def test_import_xlsx_date_cell_as_founding_year_and_blank_rows_between():
    rows = [org_row(1, **{"Gründungsjahr": datetime.datetime(2012, 5, 1)}), {}, org_row(2)]
    plan = plan_import(xlsx_bytes(rows), "liste.xlsx")
    assert plan.ok and [r.row for r in plan.rows] == [2, 4]
    assert plan.rows[0].values["founded"] == 2012
