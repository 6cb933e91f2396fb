"""XLSX bombs are refused before parsing, within a second, with a clear message (issue 8:
a 1.5 MB file with one huge shared string took 88 s and 6.1 GB; a small file with
100 × 16,384 cells 32 s of CPU). The files are built here, never shipped."""

import time

import pytest
from django.urls import reverse
from django.core.files.uploadedfile import SimpleUploadedFile
from factories import make_user
from xlsx_bombs import cell_flood, huge_shared_string

from matchwerk.accounts.enums import Role
from matchwerk.profiles.importing import plan_import
from matchwerk.profiles.importing.reading import FileProblem, read_table

MESSAGE = "Die Excel-Datei ist entpackt zu groß oder enthält zu viele Zellen"


@pytest.fixture(autouse=True)
def _german():
    """Messages are checked in German, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("de"):
        yield


@pytest.mark.parametrize("build, largest", [(huge_shared_string, 1_600_000), (cell_flood, 200_000)],
                         ids=["shared-string-1.5GB", "cells-100x16384"])
def test_xlsx_bombs_are_refused_before_parsing(build, largest):
    content = build()
    assert len(content) <= largest
    started = time.perf_counter()
    with pytest.raises(FileProblem, match=MESSAGE):
        read_table(content, "liste.xlsx")
    assert time.perf_counter() - started < 1.0


def test_a_small_honest_file_with_a_lying_dimension_is_read_without_padding():
    # Declares A1:XFD3 (16,384 columns) but holds 3 rows of 12 cells.
    table = read_table(cell_flood(rows=3, columns=12), "liste.xlsx")
    assert len(table.headers) == 12
    assert [len(cells) for _, cells in table.rows] == [12, 12]


@pytest.mark.django_db
def test_the_import_screen_shows_the_refusal(client):
    client.force_login(make_user(role=Role.COORDINATOR))
    upload = SimpleUploadedFile("liste.xlsx", huge_shared_string(),
                                content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response = client.post(reverse("backoffice:import"), {"file": upload}, follow=True)  # to the import's page
    assert response.status_code == 200
    assert MESSAGE in response.content.decode()


@pytest.mark.django_db
def test_plan_import_reports_the_bomb_as_a_file_problem():
    plan = plan_import(cell_flood(), "liste.xlsx")
    assert not plan.ok and MESSAGE in str(plan.problems[0])
