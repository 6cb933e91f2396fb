"""Cached files: uploads kept in the database for a while, removed when expired."""

from datetime import timedelta

import pytest
from django.utils import timezone
from factories import make_user

from matchwerk.core.models import CachedFile
from matchwerk.core.services import cached_file_create, cached_file_delete, cached_files_purge

pytestmark = pytest.mark.django_db


def test_cached_file_keeps_bytes_name_owner_and_expiry():
    owner = make_user()
    kept = cached_file_create(owner=owner, name="liste.xlsx", content=b"PK\x03\x04data", content_type="x/y", hours=2)
    kept = CachedFile.objects.get(pk=kept.pk)
    assert bytes(kept.data) == b"PK\x03\x04data" and kept.size == 8 and kept.owner == owner
    assert kept.name == "liste.xlsx" and kept.content_type == "x/y"
    assert timedelta(hours=1, minutes=59) < kept.expires_at - timezone.now() <= timedelta(hours=2)
    cached_file_delete(cached_file=kept)
    assert not CachedFile.objects.exists()


def test_expired_files_are_purged_and_a_new_upload_purges_too():
    old = cached_file_create(owner=None, name="alt.csv", content=b"a")
    CachedFile.objects.filter(pk=old.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    fresh = cached_file_create(owner=None, name="neu.csv", content=b"b")   # purges on the way
    assert list(CachedFile.objects.values_list("pk", flat=True)) == [fresh.pk]
    assert cached_files_purge() == 0
