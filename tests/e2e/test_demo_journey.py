"""Journey with the demo data (what `make run` shows): a demo participant logs in with the
documented demo password, sees their organisation, and browses the directory, where
hidden demo organisations do not appear. Every page is checked with axe-core."""

import re

from django.conf import settings
from django.core.management import call_command
from django.test import override_settings
from playwright.sync_api import expect

from matchwerk.profiles.management.commands.demo_load import DEMO_PASSWORD
from matchwerk.profiles.models import Organisation


def test_demo_participant_sees_own_organisation_and_directory_hides_unlisted(page, check_a11y, log_in):
    # Loading enqueues a recompute of matching suggestions; this journey does not need it.
    with override_settings(TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend",
                                              "QUEUES": settings.TASK_QUEUES}}):
        call_command("demo_load", verbosity=0)
    hidden = Organisation.objects.filter(listed_in_directory=False, region__name="Meißen").first()
    assert hidden is not None

    log_in(page, "radreisen@matchwerk.example", DEMO_PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_contain_text("Uwe")
    check_a11y(page)
    page.get_by_role("main").get_by_role("link", name="Radreisen Elbland", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Radreisen Elbland")
    expect(page.get_by_role("heading", name="Online-Buchung statt Telefon")).to_be_visible()
    check_a11y(page)

    page.get_by_role("banner").get_by_role("link", name="Verzeichnis").click()
    check_a11y(page)  # a long, paginated list
    page.get_by_label(re.compile(r"^\s*Region")).select_option(label="Meißen")
    page.get_by_role("button", name="Filtern").click()
    results = page.get_by_role("list", name="Ergebnisse")
    expect(results.get_by_role("link", name="Weingut am Spaargebirge", exact=True)).to_be_visible()
    expect(results.get_by_role("link", name=hidden.name, exact=True)).to_have_count(0)
    listed = Organisation.objects.filter(listed_in_directory=True, region__name="Meißen").count()
    expect(page.get_by_role("status")).to_contain_text(f"{listed} Organisationen gefunden")
    check_a11y(page)
