"""What an uploaded file really is, read from its content (never from its name)."""

from __future__ import annotations


def image_format(upload) -> str:
    """Pillow's name of the image format of ``upload`` ("PNG", "JPEG", …), or "" when it is
    no image Pillow knows; the file is read from the start and left at the start."""
    from PIL import Image, UnidentifiedImageError

    try:
        upload.seek(0)
        with Image.open(upload) as image:
            return (image.format or "").upper()
    except (UnidentifiedImageError, OSError, ValueError):
        return ""
    finally:
        upload.seek(0)
