from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import ABOUT_MAX_CHARS, STATEMENT_DESCRIPTION_MAX_CHARS, TextLimitValidator
from matchwerk.profiles.enums import ImportStatus, OrganisationKind, OrganisationSize, RegionKind


class Region(models.Model):
    """A district, a district-free city, or a wider region (e.g. a metropolitan region)."""

    name = models.CharField(_("Name"), max_length=120, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=120, unique=True)
    kind = models.CharField(_("Art"), max_length=20, choices=RegionKind.choices, default=RegionKind.DISTRICT)
    state = models.CharField(_("Bundesland"), max_length=60, default="Sachsen")
    latitude = models.FloatField(_("Breitengrad"))
    longitude = models.FloatField(_("Längengrad"))
    coordinators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="coordinated_regions",
        verbose_name=_("Netzwerkkoordination"),
    )

    class Meta:
        verbose_name = _("Region")
        verbose_name_plural = _("Regionen")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Topic(models.Model):
    """A taxonomy entry; German label first, English label for the English UI."""

    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    name_de = models.CharField(_("Name (deutsch)"), max_length=120, unique=True)
    name_en = models.CharField(_("Name (englisch)"), max_length=120, blank=True)

    class Meta:
        verbose_name = _("Thema")
        verbose_name_plural = _("Themen")
        ordering = ["name_de"]

    def __str__(self) -> str:
        return self.label

    @property
    def label(self) -> str:
        if (get_language() or "de").startswith("en") and self.name_en:
            return self.name_en
        return self.name_de


class Organisation(models.Model):
    key = models.SlugField(
        _("Schlüssel"), max_length=80, unique=True,
        help_text=_("Stabiler Schlüssel, über den ein erneuter Import diese Organisation aktualisiert."),
    )
    kind = models.CharField(_("Art"), max_length=20, choices=OrganisationKind.choices)
    name = models.CharField(_("Name"), max_length=200)
    region = models.ForeignKey(Region, on_delete=models.PROTECT, related_name="organisations", verbose_name=_("Region"))
    town = models.CharField(_("Ort"), max_length=120, blank=True)
    website = models.URLField(_("Website"), blank=True)
    size = models.CharField(_("Größe"), max_length=10, choices=OrganisationSize.choices, blank=True)
    founded = models.PositiveSmallIntegerField(_("Gründungsjahr"), null=True, blank=True)
    about = models.TextField(_("Über uns"), blank=True, max_length=ABOUT_MAX_CHARS,
                             validators=[TextLimitValidator(ABOUT_MAX_CHARS)])
    logo = models.ImageField(_("Logo"), upload_to="logos/", blank=True)
    topics = models.ManyToManyField(Topic, blank=True, related_name="organisations", verbose_name=_("Themen"))
    # Current state of the organisation's consents; the history is in Consent.
    listed_in_directory = models.BooleanField(_("im Verzeichnis sichtbar"), default=False)
    open_for_matching = models.BooleanField(_("für Matching-Vorschläge freigegeben"), default=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        verbose_name = _("Organisation")
        verbose_name_plural = _("Organisationen")
        ordering = ["name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(founded__isnull=True) | models.Q(founded__gte=1000, founded__lte=2100),
                name="organisation_founded_plausible",
            )
        ]

    def __str__(self) -> str:
        return self.name


class Person(models.Model):
    """Someone who belongs to an organisation; ``user`` is set when they have an account
    and may then act for the organisation."""

    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="people",
                                     verbose_name=_("Organisation"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="persons", verbose_name=_("Konto"))
    name = models.CharField(_("Name"), max_length=150)
    email = models.EmailField(_("E-Mail"), blank=True)
    phone = models.CharField(_("Telefon"), max_length=40, blank=True)
    position = models.CharField(_("Funktion"), max_length=120, blank=True)
    is_contact = models.BooleanField(_("Ansprechperson"), default=True)
    can_edit = models.BooleanField(_("darf das Profil bearbeiten"), default=True)
    # When the last invitation to link an account was sent (profiles/invitations.py).
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Person")
        verbose_name_plural = _("Personen")
        ordering = ["organisation__name", "name"]
        constraints = [
            models.UniqueConstraint(fields=["organisation", "user"], name="person_unique_user_per_organisation"),
        ]

    def __str__(self) -> str:
        return self.name


class Statement(models.Model):
    """Common shape of needs and offers: a title, a description and topics."""

    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=STATEMENT_DESCRIPTION_MAX_CHARS,
                                   validators=[TextLimitValidator(STATEMENT_DESCRIPTION_MAX_CHARS)])
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)

    class Meta:
        abstract = True
        ordering = ["id"]

    def __str__(self) -> str:
        return self.title

    @property
    def text(self) -> str:
        return f"{self.title}. {self.description}".strip()


class Need(Statement):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="needs",
                                     verbose_name=_("Organisation"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="needs", verbose_name=_("Themen"))

    class Meta(Statement.Meta):
        verbose_name = _("Bedarf")
        verbose_name_plural = _("Bedarfe")


class Offer(Statement):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="offers",
                                     verbose_name=_("Organisation"))
    topics = models.ManyToManyField(Topic, blank=True, related_name="offers", verbose_name=_("Themen"))

    class Meta(Statement.Meta):
        verbose_name = _("Angebot")
        verbose_name_plural = _("Angebote")


class ImportJob(models.Model):
    """One spreadsheet import: the upload (a ``core.CachedFile``) is checked and applied by
    background tasks; the staff member who uploaded it follows its progress on a status page.
    ``outcome`` holds what the page shows: problems with row and column, warnings, the
    preview rows and the counts."""

    ACTIVE = (ImportStatus.CHECKING, ImportStatus.APPLYING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+",
                              verbose_name=_("hochgeladen von"))
    file = models.ForeignKey("core.CachedFile", null=True, blank=True, on_delete=models.SET_NULL,
                             related_name="+", verbose_name=_("Datei"))
    filename = models.CharField(_("Dateiname"), max_length=255)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    status = models.CharField(_("Status"), max_length=10, choices=ImportStatus.choices, default=ImportStatus.CHECKING)
    progress = models.PositiveSmallIntegerField(_("Fortschritt (%)"), default=0)
    outcome = models.JSONField(_("Ergebnis"), default=dict, blank=True)
    created_at = models.DateTimeField(_("angelegt"), default=timezone.now)
    updated_at = models.DateTimeField(_("geändert"), auto_now=True)

    class Meta:
        verbose_name = _("Import")
        verbose_name_plural = _("Importe")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.filename} ({self.get_status_display()})"

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE

