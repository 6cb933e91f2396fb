"""Private uploads: files kept outside MEDIA_ROOT (they have no URL) and handed out only by
views that check the object-level rule first.

A storage is named by the setting that holds its folder (``PrivateStorage("RECEIPTS_ROOT")``);
the folder is read from the settings at each use, so tests can point it elsewhere.
``private_file_response`` is the one way such a file leaves the server: always as an
attachment, never sniffed, never cached.
"""

from __future__ import annotations

import mimetypes
import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.http import FileResponse

# Content types a private file may be sent with; anything else goes out as a plain download.
SAFE_CONTENT_TYPES = frozenset({
    "application/pdf", "image/png", "image/jpeg", "image/gif", "image/webp", "text/plain", "text/csv",
    "application/zip", "application/vnd.oasis.opendocument.text", "application/vnd.oasis.opendocument.spreadsheet",
    "application/vnd.oasis.opendocument.presentation", "application/msword", "application/vnd.ms-excel",
    "application/vnd.ms-powerpoint",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "application/vnd.openxmlformats-officedocument.presentationml.presentation",
})
DOWNLOAD = "application/octet-stream"


class PrivateStorage(FileSystemStorage):
    """A folder outside MEDIA_ROOT, given by the name of its setting; files have no URL."""

    def __init__(self, setting: str, **kwargs):
        self.setting = setting
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(getattr(settings, self.setting))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    @property
    def base_url(self):
        return None  # ``url()`` refuses: "This file is not accessible via a URL."


def content_type_for(filename: str) -> str:
    """The content type a private file is sent with: its guessed type when harmless, else a
    plain download (never HTML, SVG or script a browser would run)."""
    guessed, _encoding = mimetypes.guess_type(filename)
    return guessed if guessed in SAFE_CONTENT_TYPES else DOWNLOAD


def private_file_response(fieldfile, *, filename: str, content_type: str | None = None) -> FileResponse:
    """Send a private file as an attachment: ``Content-Disposition: attachment``, no sniffing,
    ``Cache-Control: no-store`` (no copy stays in a shared or browser cache)."""
    response = FileResponse(fieldfile.open("rb"), as_attachment=True, filename=filename,
                            content_type=content_type or content_type_for(filename))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "no-store, private"
    response["Pragma"] = "no-cache"
    return response
