from django.db import models
from django.utils.translation import gettext_lazy as _


class OrganisationKind(models.TextChoices):
    STARTUP = "startup", _("Digitales Startup")
    CREATIVE = "creative", _("Kreativschaffende")
    SME = "sme", _("Kleines/mittleres Unternehmen")
    PUBLIC = "public", _("Öffentliche Verwaltung")
    RESEARCH = "research", _("Forschung")
    INTERMEDIARY = "intermediary", _("Netzwerk/Intermediär")


class OrganisationSize(models.TextChoices):
    SOLO = "1", _("1 Person")
    MICRO = "2-9", _("2–9 Beschäftigte")
    SMALL = "10-49", _("10–49 Beschäftigte")
    MEDIUM = "50-249", _("50–249 Beschäftigte")
    LARGE = "250+", _("250 und mehr Beschäftigte")


class RegionKind(models.TextChoices):
    DISTRICT = "district", _("Landkreis")
    CITY = "city", _("Kreisfreie Stadt")
    OTHER = "other", _("Sonstige Region")


class ImportStatus(models.TextChoices):
    CHECKING = "checking", _("wird geprüft")
    INVALID = "invalid", _("fehlerhaft")
    READY = "ready", _("bereit zum Import")
    APPLYING = "applying", _("wird importiert")
    DONE = "done", _("importiert")
    FAILED = "failed", _("abgebrochen")
    CANCELLED = "cancelled", _("verworfen")
