"""Writes of the core app: cached files (uploads kept in the database for a short while)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from matchwerk.core.models import CachedFile

# An upload waits this long for its next step (preview -> confirmation).
CACHED_FILE_HOURS = 24


def cached_file_create(*, owner, name: str, content: bytes, content_type: str = "",
                       hours: int = CACHED_FILE_HOURS) -> CachedFile:
    """Keep ``content`` for ``hours``; expired files of anybody are removed on the way."""
    cached_files_purge()
    return CachedFile.objects.create(owner=owner, name=name[:255], content_type=content_type[:255],
                                     size=len(content), data=content,
                                     expires_at=timezone.now() + timedelta(hours=hours))


def cached_file_delete(*, cached_file: CachedFile | None) -> None:
    if cached_file is not None:
        CachedFile.objects.filter(pk=cached_file.pk).delete()


def cached_files_purge() -> int:
    """Remove every expired file; returns how many."""
    deleted, _ = CachedFile.objects.filter(expires_at__lt=timezone.now()).delete()
    return deleted
