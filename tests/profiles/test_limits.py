"""Limits on free texts: a 9 MB need is refused by the form, the service and the import,
with a clear German message (row and column in the import); the engine caps what it encodes."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import translation
from factories import make_need, make_organisation
from test_import_helpers import csv_bytes, org_row, xlsx_bytes

from matchwerk.core.limits import ABOUT_MAX_CHARS, STATEMENT_DESCRIPTION_MAX_CHARS, STATEMENTS_MAX_PER_ORGANISATION
from matchwerk.profiles import services
from matchwerk.profiles.importing import plan_import
from matchwerk.profiles.models import Need, Organisation

NINE_MB = "Bedarf " * (9 * 1024 * 1024 // 7)


@pytest.fixture(autouse=True)
def _german():
    """Messages are checked in German, whatever an earlier test left active."""
    from django.utils import translation

    with translation.override("de"):
        yield


def test_nine_megabyte_need_is_refused_by_the_form(client, cast):
    client.force_login(cast["member"])
    before = Need.objects.count()
    response = client.post(reverse("profiles:need_create", args=[cast["listed"].pk]),
                           {"title": "Großer Bedarf", "description": NINE_MB})
    assert response.status_code == 200
    assert "description" in response.context["form"].errors
    assert f"höchstens {STATEMENT_DESCRIPTION_MAX_CHARS} Zeichen" in response.content.decode()
    assert Need.objects.count() == before
    # The browser is told the limit too.
    form_page = client.get(reverse("profiles:need_create", args=[cast["listed"].pk])).content.decode()
    assert f'maxlength="{STATEMENT_DESCRIPTION_MAX_CHARS}"' in form_page


def test_overlong_about_is_refused_by_the_form(client, cast):
    client.force_login(cast["member"])
    organisation = cast["listed"]
    response = client.post(reverse("profiles:organisation_edit", args=[organisation.pk]), {
        "name": organisation.name, "kind": organisation.kind, "region": organisation.region_id,
        "about": "x" * (ABOUT_MAX_CHARS + 1)})
    assert response.status_code == 200 and "about" in response.context["form"].errors
    organisation.refresh_from_db()
    assert len(organisation.about) <= ABOUT_MAX_CHARS


def test_nine_megabyte_need_is_refused_by_the_service(db):
    organisation = make_organisation()
    with pytest.raises(ValidationError) as caught:
        services.need_create(actor=None, organisation=organisation, title="Großer Bedarf", description=NINE_MB)
    assert "description" in caught.value.message_dict
    message = caught.value.message_dict["description"][0]
    assert "zu lang" in message and str(STATEMENT_DESCRIPTION_MAX_CHARS) in message
    with translation.override("en"):
        try:
            services.offer_create(actor=None, organisation=organisation, title="Big offer", description=NINE_MB)
        except ValidationError as error:
            assert "too long" in error.message_dict["description"][0]
    assert not organisation.needs.filter(title="Großer Bedarf").exists()
    with pytest.raises(ValidationError):
        services.organisation_update(actor=None, organisation=organisation, about=NINE_MB)


def test_statements_per_organisation_are_limited(db):
    organisation = make_organisation()
    Need.objects.bulk_create([Need(organisation=organisation, title=f"B{i}")
                              for i in range(STATEMENTS_MAX_PER_ORGANISATION)])
    with pytest.raises(ValidationError):
        services.need_create(actor=None, organisation=organisation, title="einer zu viel")
    assert organisation.needs.count() == STATEMENTS_MAX_PER_ORGANISATION


def test_import_names_row_and_column_of_an_overlong_text(db):
    content = xlsx_bytes([org_row(1), org_row(2, **{"Bedarf 1 Beschreibung": "x" * 5000,
                                                     "Über uns": "y" * (ABOUT_MAX_CHARS + 10)})])
    plan = plan_import(content, "liste.xlsx")
    assert not plan.ok
    messages = [str(p) for p in plan.problems]
    assert any(m.startswith("Zeile 3, Spalte P („Bedarf 1 Beschreibung“)") and "zu lang" in m for m in messages)
    assert any(m.startswith("Zeile 3, Spalte I („Über uns“)") and "zu lang" in m for m in messages)
    assert not Organisation.objects.filter(key__in=["org-1", "org-2"]).exists()


def test_import_refuses_a_nine_megabyte_need(db):
    plan = plan_import(csv_bytes([org_row(1, **{"Bedarf 1 Beschreibung": NINE_MB})]), "liste.csv")
    assert not plan.ok
    assert not Organisation.objects.filter(key="org-1").exists()


def test_engine_caps_texts_before_encoding():
    from matchwerk.engine import rank
    from matchwerk.engine.inputs import MAX_TEXT_CHARS, MAX_TEXTS

    huge = {"id": "a", "kind": "sme", "name": "A", "about": NINE_MB, "needs": [NINE_MB] * 3 + ["x"] * 500}
    profiles, _, _, _ = rank.parse({"organisations": [huge, {"id": "b", "kind": "startup", "name": "B",
                                                              "offers": ["Bedarf"]}]})
    assert len(profiles[0].about) == MAX_TEXT_CHARS
    assert len(profiles[0].needs) == MAX_TEXTS
    assert max(len(text) for text in profiles[0].needs) == MAX_TEXT_CHARS
