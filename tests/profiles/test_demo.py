"""The demo data: ``matchwerk demo_load`` and ``matchwerk demo_logins``."""

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from factories import make_organisation

from matchwerk.privacy.selectors import consents_in_force
from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.engine.regions import REGIONS, SAXONY
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.management.commands.demo_load import DEMO_PASSWORD, load_demo_file
from matchwerk.privacy.models import Consent
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region

pytestmark = [pytest.mark.django_db, pytest.mark.sqlite_part]
SAXON_REGIONS = {region.name for region in REGIONS if region.state == SAXONY}


def _load(**options):
    call_command("demo_load", verbosity=0, **options)


def test_demo_file_is_complete_and_plausible():
    data = load_demo_file()
    organisations = data["organisations"]
    assert len(organisations) >= 85
    assert len({o["key"] for o in organisations}) == len(organisations)
    assert {o["region"] for o in organisations} == SAXON_REGIONS
    for entry in organisations:
        assert 1 <= len(entry["needs"]) <= 3 and 1 <= len(entry["offers"]) <= 3, entry["key"]
        assert entry["website"].startswith("https://") and ".example" in entry["website"]
        assert entry["contact"]["email"].endswith(".example")
        assert entry["about"] and entry["topics"]


def _profile_demo_organisations():
    """The organisations of the profile demo file (the programme demo adds fictional
    organisations of its own, without people, needs or consents: programmes/demo.py)."""
    return Organisation.objects.filter(key__in=[entry["key"] for entry in load_demo_file()["organisations"]])


def test_demo_load_creates_organisations_in_every_region_and_kind():
    _load()
    organisations = _profile_demo_organisations()
    assert organisations.count() >= 80
    assert SAXON_REGIONS <= set(organisations.values_list("region__name", flat=True))
    assert set(organisations.values_list("kind", flat=True)) == set(OrganisationKind.values)
    for region in Region.objects.filter(name__in=SAXON_REGIONS):
        assert region.organisations.count() >= 3, region.name
    # every demo organisation has at least one need and one offer and a contact person
    assert not organisations.filter(needs__isnull=True).exists()
    assert not organisations.filter(offers__isnull=True).exists()
    assert Person.objects.filter(is_contact=True, organisation__in=organisations).values("organisation").distinct().count() \
        == organisations.count()
    # most are listed and open for matching, a few are hidden
    hidden = organisations.filter(listed_in_directory=False).count()
    assert 1 <= hidden <= organisations.count() // 5
    assert organisations.filter(open_for_matching=True).count() > organisations.count() * 0.8


def test_demo_load_creates_a_user_for_each_role_with_the_demo_password():
    _load()
    for role in Role.values:
        user = User.objects.filter(role=role, email__endswith="@matchwerk.example").first()
        assert user is not None, role
        assert user.email_confirmed_at is not None
        assert authenticate(email=user.email, password=DEMO_PASSWORD) == user
    admin = User.objects.get(email="admin@matchwerk.example")
    assert admin.is_superuser and admin.is_staff
    coordinator = User.objects.get(email="koordination@matchwerk.example")
    assert coordinator.coordinated_regions.filter(name="Dresden").exists()
    participant = User.objects.get(email="radreisen@matchwerk.example")
    assert Person.objects.filter(user=participant, organisation__key="radreisen-elbland", can_edit=True).exists()
    assert not participant.is_staff


def test_demo_load_records_organisation_consents():
    _load()
    hidden = _profile_demo_organisations().filter(listed_in_directory=False).first()
    listed = Organisation.objects.get(key="radreisen-elbland")
    assert listed.listed_in_directory and listed.open_for_matching
    in_force = consents_in_force(user=None, organisation=listed)
    assert in_force["directory"].granted and in_force["matching"].granted
    assert in_force["directory"].user.email == "radreisen@matchwerk.example"
    assert consents_in_force(user=None, organisation=hidden)["directory"].granted is False


def test_demo_load_is_idempotent():
    _load()
    counts = (Organisation.objects.count(), Need.objects.count(), Offer.objects.count(),
              User.objects.count(), Person.objects.count(), Consent.objects.count())
    Organisation.objects.filter(key="radreisen-elbland").update(name="Umbenannt")
    _load()
    assert (Organisation.objects.count(), Need.objects.count(), Offer.objects.count(),
            User.objects.count(), Person.objects.count(), Consent.objects.count()) == counts
    assert Organisation.objects.get(key="radreisen-elbland").name == "Radreisen Elbland"


def test_demo_load_if_empty_keeps_existing_data():
    existing = make_organisation(name="Schon da GmbH")
    _load(if_empty=True)
    assert list(Organisation.objects.all()) == [existing]
    assert not User.objects.filter(email="admin@matchwerk.example").exists()


def test_demo_load_refuses_in_production_mode(settings):
    settings.PRODUCTION = True
    with pytest.raises(CommandError):
        _load()
    assert not Organisation.objects.exists()
    assert not User.objects.filter(email="admin@matchwerk.example").exists()


def test_demo_logins_prints_accounts_and_password(capsys):
    call_command("demo_logins")
    assert "Keine Demo-Zugänge" in capsys.readouterr().out
    _load()
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert "admin@matchwerk.example" in out and "koordination@matchwerk.example" in out
    assert DEMO_PASSWORD in out and "Passwort" in out
