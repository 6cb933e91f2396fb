"""Journey: a coordinator imports a spreadsheet. One bad row → the error names row and
column and nothing is imported → the fixed file → preview → confirm → all rows imported
and visible. Every page on the way is checked with axe-core."""

import re

from factories import make_region, make_user
from openpyxl import Workbook
from playwright.sync_api import expect

from matchwerk.accounts.enums import Role
from matchwerk.profiles.models import Organisation

PASSWORD = "Koordination-2026!"
HEADERS = ["Schlüssel", "Name", "Art", "Region", "Ort", "Themen", "Ansprechperson", "E-Mail",
           "Im Verzeichnis", "Matching", "Bedarf 1 Titel", "Bedarf 1 Beschreibung", "Angebot 1 Titel",
           "Angebot 1 Beschreibung"]
ROWS = [
    ["e2e-kanuverleih", "Kanuverleih Elbaue", "KMU", "Meißen", "Riesa", "Tourismus", "Sven Walter",
     "sven.walter@kanu-elbaue.example", "ja", "ja", "Online-Buchung", "Buchungen laufen per Telefon.",
     "Paddeltouren", "Geführte Touren für Gruppen."],
    ["e2e-pixelwerk", "Pixelwerk Studio", "Digitales Startup", "Dresden", "Dresden", "Digitalisierung; Design",
     "Mia Roth", "mia.roth@pixelwerk.example", "ja", "ja", "Pilotkunden", "Wir suchen Testbetriebe.",
     "Buchungssysteme", "Wir bauen Buchungssysteme."],
    ["e2e-gemeinde-oberland", "Gemeinde Oberland", "Öffentliche Verwaltung", "Görlitz", "Löbau", "E-Government",
     "Ralf Petzold", "ralf.petzold@oberland.example", "ja", "nein", "Online-Anträge", "Viel Papier.",
     "Testflächen", "Dächer und Laternen für Pilotprojekte."],
    ["e2e-glaswerkstatt", "Glaswerkstatt Lausitz", "Kreativschaffende", "Atlantis", "Weißwasser", "Design",
     "Johanna Busch", "johanna.busch@glas-lausitz.example", "ja", "ja", "Sichtbarkeit", "Niemand findet uns.",
     "Produktdesign", "Gläser und Leuchten."],
    ["e2e-forschung-energie", "Energielabor Zittau", "Forschung", "Görlitz", "Zittau", "Klima & Energie",
     "Wolfgang Keller", "wolfgang.keller@energielabor.example", "ja", "ja", "Messpartner",
     "Betriebe für Messkampagnen.", "Effizienzanalyse", "Wir analysieren Energieflüsse."],
]
BAD_ROW, BAD_COLUMN = 5, "D"  # the header is row 1; "Atlantis" is in data row 4, column D (Region)


def _xlsx(path, rows):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADERS)
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def test_coordinator_import_with_bad_row_then_fixed_file_imports_all_rows(page, check_a11y, log_in, tmp_path,
                                                                         live_settings):
    coordinator = make_user(email="koordination@netzwerk.example", role=Role.COORDINATOR, password=PASSWORD,
                            full_name="Konrad Koordination")
    coordinator.coordinated_regions.add(make_region(name="Meißen"), make_region(name="Görlitz"),
                                        make_region(name="Dresden"))
    bad = _xlsx(tmp_path / "organisationen.xlsx", ROWS)

    log_in(page, coordinator.email, PASSWORD)
    page.get_by_role("banner").get_by_role("link", name="Backoffice").click()
    check_a11y(page)
    page.get_by_role("navigation", name="Backoffice").get_by_role("link", name="Import").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Organisationen importieren")
    check_a11y(page)

    # 1. The file with one bad row: the error names row and column, nothing is imported.
    page.get_by_label(re.compile(r"^\s*Tabelle")).set_input_files(bad)
    page.get_by_role("button", name="Prüfen und Vorschau anzeigen").click()
    problems = page.get_by_role("table", name="Fehler in der Datei")
    expect(problems).to_be_visible()
    bad_row = problems.get_by_role("row").filter(has_text="Atlantis")
    expect(bad_row).to_have_count(1)
    expect(bad_row.get_by_role("cell").nth(0)).to_have_text(str(BAD_ROW))
    expect(bad_row.get_by_role("cell").nth(1)).to_contain_text(BAD_COLUMN)
    expect(bad_row.get_by_role("cell").nth(1)).to_contain_text("Region")
    expect(page.get_by_role("heading", name=re.compile("nichts importiert"))).to_be_visible()
    check_a11y(page)
    assert not Organisation.objects.exists()

    # 2. The fixed file: preview, confirm, all five rows imported.
    fixed_rows = [list(row) for row in ROWS]
    fixed_rows[BAD_ROW - 2][3] = "Görlitz"
    fixed = _xlsx(tmp_path / "organisationen-korrigiert.xlsx", fixed_rows)
    page.get_by_label(re.compile(r"^\s*Tabelle")).set_input_files(fixed)
    page.get_by_role("button", name="Prüfen und Vorschau anzeigen").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Import von „organisationen-korrigiert.xlsx“")
    preview = page.get_by_role("table", name="Was importiert wird")
    expect(preview.get_by_role("row")).to_have_count(1 + len(ROWS))
    check_a11y(page)
    assert not Organisation.objects.exists()  # the preview saves nothing

    page.get_by_role("button", name="5 Organisationen importieren").click()
    expect(page.get_by_role("status").or_(page.locator(".messages"))).to_contain_text("Import abgeschlossen")
    check_a11y(page)
    page.get_by_role("link", name="Zu den Organisationen").click()
    assert set(Organisation.objects.values_list("key", flat=True)) == {row[0] for row in ROWS}
    glass = Organisation.objects.get(key="e2e-glaswerkstatt")
    assert glass.region.name == "Görlitz" and glass.needs.count() == 1 and glass.offers.count() == 1
    for row in ROWS:
        expect(page.get_by_role("link", name=row[1], exact=True)).to_be_visible()

    # Listed organisations are visible in the public directory.
    page.get_by_role("banner").get_by_role("link", name="Verzeichnis").click()
    expect(page.get_by_role("list", name="Ergebnisse").get_by_role("link", name="Glaswerkstatt Lausitz")) \
        .to_be_visible()
    check_a11y(page)


def test_import_status_page_refreshes_itself_until_the_worker_has_checked_the_file(page, check_a11y, log_in,
                                                                                  tmp_path, live_settings):
    """With the database queue the check waits for a worker: the page shows a progress bar
    and reloads itself (a static script, allowed by the CSP) until the preview is there."""
    from django_tasks_db.management.commands.db_worker import Worker

    live_settings.TASKS = {"default": {**live_settings.TASKS["default"],
                                       "BACKEND": "django_tasks_db.backend.DatabaseBackend"}}
    coordinator = make_user(email="k2@netzwerk.example", role=Role.COORDINATOR, password=PASSWORD)
    coordinator.coordinated_regions.add(make_region(name="Meißen"), make_region(name="Görlitz"),
                                        make_region(name="Dresden"))  # a coordinator imports into her regions
    log_in(page, coordinator.email, PASSWORD)
    page.goto("/backoffice/import/")
    page.get_by_label(re.compile(r"^\s*Tabelle")).set_input_files(_xlsx(tmp_path / "drei.xlsx", ROWS[:3]))
    page.get_by_role("button", name="Prüfen und Vorschau anzeigen").click()
    expect(page.get_by_role("heading", name="Die Datei wird geprüft …")).to_be_visible()
    expect(page.get_by_role("progressbar", name="Fortschritt")).to_be_visible()
    check_a11y(page)
    Worker(queue_names=["default"], interval=0, batch=True, backend_name="default", startup_delay=False,
           max_tasks=None, worker_id="e2e-worker", excluded_queue_names=[]).run()
    expect(page.get_by_role("button", name="3 Organisationen importieren")).to_be_visible()  # after a reload
    assert not Organisation.objects.exists()

