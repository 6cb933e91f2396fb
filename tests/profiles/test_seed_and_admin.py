"""Seeded regions and topics; Django admin registrations."""

import pytest
from django.urls import reverse
from factories import make_user

from matchwerk.engine.regions import REGIONS
from matchwerk.privacy.models import Consent
from matchwerk.profiles.models import Region, Topic


def test_seed_has_all_engine_regions_with_centroids(db):
    seeded = {r.slug: r for r in Region.objects.all()}
    for info in REGIONS:
        region = seeded[info.slug]
        assert (region.name, region.kind, region.state) == (info.name, info.kind, info.state)
        assert (region.latitude, region.longitude) == (info.latitude, info.longitude)
    saxony = Region.objects.filter(state="Sachsen")
    assert saxony.filter(kind="district").count() == 10 and saxony.filter(kind="city").count() == 3


def test_seed_has_german_topics_with_english_labels(db):
    assert Topic.objects.count() >= 20
    assert not Topic.objects.filter(name_en="").exists()
    for name in ("Digitalisierung", "E-Commerce & Vertrieb", "Smart City", "Tourismus", "E-Government"):
        assert Topic.objects.filter(name_de=name).exists()


@pytest.fixture
def admin_client_(client, db):
    client.force_login(make_user(is_superuser=True, is_staff=True, role="admin"))
    return client


@pytest.mark.parametrize("model", ["profiles_region", "profiles_topic", "profiles_organisation", "privacy_consent",
                                   "programmes_programme"])
def test_admin_changelists_load(admin_client_, cast, model):
    assert admin_client_.get(reverse(f"admin:{model}_changelist")).status_code == 200


def test_admin_organisation_page_has_inlines(admin_client_, cast):
    body = admin_client_.get(reverse("admin:profiles_organisation_change", args=[cast["listed"].pk])).content.decode()
    assert "people-TOTAL_FORMS" in body and "needs-TOTAL_FORMS" in body and "offers-TOTAL_FORMS" in body


def test_admin_consent_is_read_only(admin_client_, cast):
    from matchwerk.privacy.services import consent_record
    consent = consent_record(user=cast["member"], purpose="directory", granted=True, organisation=cast["listed"])
    assert admin_client_.get(reverse("admin:privacy_consent_add")).status_code == 403
    response = admin_client_.post(reverse("admin:privacy_consent_delete", args=[consent.pk]), {"post": "yes"})
    assert response.status_code == 403 and Consent.objects.filter(pk=consent.pk).exists()
