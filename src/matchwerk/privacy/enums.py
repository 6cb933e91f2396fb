from django.db import models
from django.utils.translation import gettext_lazy as _


class ConsentPurpose(models.TextChoices):
    DIRECTORY = "directory", _("Im Verzeichnis sichtbar")
    MATCHING = "matching", _("Für Matching-Vorschläge verwendet")
    PHOTOS = "photos", _("Fotos bei Veranstaltungen")
    NEWSLETTER = "newsletter", _("Newsletter")


# Purposes that an organisation grants (recorded by a person acting for it);
# the others belong to the person alone.
ORGANISATION_PURPOSES = (ConsentPurpose.DIRECTORY, ConsentPurpose.MATCHING)
PERSONAL_PURPOSES = (ConsentPurpose.PHOTOS, ConsentPurpose.NEWSLETTER)

# Bump a purpose's version whenever its consent text changes.
CONSENT_TEXT_VERSIONS = {
    ConsentPurpose.DIRECTORY: "2026-11",
    ConsentPurpose.MATCHING: "2026-11",
    ConsentPurpose.PHOTOS: "2026-11",
    ConsentPurpose.NEWSLETTER: "2026-11",
}

# The organisation field that mirrors each organisation purpose.
ORGANISATION_FLAGS = {ConsentPurpose.DIRECTORY: "listed_in_directory", ConsentPurpose.MATCHING: "open_for_matching"}
