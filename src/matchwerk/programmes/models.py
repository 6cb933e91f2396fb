from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import PROGRAMME_DESCRIPTION_MAX_CHARS, TextLimitValidator
from matchwerk.core.private_files import PrivateStorage
from matchwerk.matching.enums import DEFAULT_KIND_PAIRS


def default_kind_pairs() -> list:
    return [list(pair) for pair in DEFAULT_KIND_PAIRS]


DEFAULT_GRANT_PER_MATCH = Decimal("2500.00")
DEFAULT_RETENTION_MONTHS = 24
EUR = {"max_digits": 12, "decimal_places": 2}  # amounts in EUR: exact decimals, cents


class Programme(models.Model):
    """A matchmaking programme: which kinds it pairs, in which regions, its team, its
    funding (funder, reference, period, budget, grant per match) and how long personal
    data of its participants is kept after it ends.

    The team (matching team members and coordinators) reviews the programme's suggestions
    and sees its matches; coordinators on the team also see the organisations of the
    programme's regions (see ``docs/teams-and-rights.md``).
    """

    name = models.CharField(_("Name"), max_length=200, unique=True)
    slug = models.SlugField(_("Kürzel"), max_length=80, unique=True)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=PROGRAMME_DESCRIPTION_MAX_CHARS,
                                   validators=[TextLimitValidator(PROGRAMME_DESCRIPTION_MAX_CHARS)])
    regions = models.ManyToManyField("profiles.Region", blank=True, related_name="programmes",
                                     verbose_name=_("Regionen"), help_text=_("Leer: alle Regionen."))
    team = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="programme_teams",
                                  verbose_name=_("Programmteam"), db_table="programmes_programme_team",
                                  help_text=_("Matching-Team und Koordination, die die Vorschläge dieses Programms "
                                              "prüfen."))
    kind_pairs = models.JSONField(_("Paarungen nach Art"), default=default_kind_pairs,
                                  help_text=_("Liste von Paaren, z. B. [[\"creative\", \"sme\"]]."))
    is_active = models.BooleanField(_("aktiv"), default=True)
    required_topics = models.ManyToManyField(
        "profiles.Topic", blank=True, related_name="required_by_programmes",
        verbose_name=_("Pflichtthemen für Veranstaltungen"),
        help_text=_("Veranstaltungen dieses Programms können erst veröffentlicht werden, wenn sie alle diese Themen "
                    "haben (z. B. Digitalisierung als Förderbedingung)."))

    funder = models.CharField(_("Fördermittelgeber"), max_length=200, blank=True)
    funding_reference = models.CharField(_("Förderkennzeichen"), max_length=100, blank=True)
    starts_on = models.DateField(_("Laufzeit von"), null=True, blank=True)
    ends_on = models.DateField(_("Laufzeit bis"), null=True, blank=True)
    budget = models.DecimalField(_("Gesamtbudget (EUR)"), **EUR, default=Decimal("0.00"),
                                 validators=[MinValueValidator(Decimal("0.00"))],
                                 help_text=_("Die Summe, aus der die Förderungen der Matches bewilligt werden."))
    grant_per_match = models.DecimalField(
        _("Förderung je Match (EUR)"), **EUR, default=DEFAULT_GRANT_PER_MATCH,
        validators=[MinValueValidator(Decimal("0.00"))],
        help_text=_("0: das Programm fördert Matches nicht (dann gibt es keine Stufe „Förderung bewilligt“)."))
    retention_months = models.PositiveSmallIntegerField(
        _("Aufbewahrung nach Programmende (Monate)"), default=DEFAULT_RETENTION_MONTHS,
        validators=[MaxValueValidator(240)],
        help_text=_("So lange nach dem Ende der Laufzeit bleiben personenbezogene Daten der Teilnehmenden "
                    "erhalten, die sonst nirgends mehr aktiv sind; danach werden sie gelöscht oder anonymisiert."))

    class Meta:
        # The table keeps its name from the time the model lived in the matching app, so
        # moving the model kept every row (migrations programmes 0001 / matching 0002).
        db_table = "matching_programme"
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def funds_matches(self) -> bool:
        """Matches of this programme get a grant: the stage "grant approved" comes before
        "in progress" (``matching.enums.stage_targets``)."""
        return self.grant_per_match is not None and self.grant_per_match > 0

    def clean(self) -> None:
        super().clean()
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise ValidationError({"ends_on": _("Das Ende der Laufzeit liegt vor ihrem Beginn.")})

    def allows(self, kind_a: str, kind_b: str) -> bool:
        return any({kind_a, kind_b} == set(pair) and (kind_a != kind_b or pair[0] == pair[1])
                   for pair in self.kind_pairs)


class ProgrammeCoordinator(models.Model):
    """A coordinator who accompanies the programme's matches in one region (the programme's
    coordinators per region). She sees and moves the programme's matches with an
    organisation of that region, and new matches there get her as their coordinator."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="coordinators",
                                  verbose_name=_("Programm"))
    region = models.ForeignKey("profiles.Region", on_delete=models.CASCADE, related_name="programme_coordinators",
                               verbose_name=_("Region"))
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE,
                             related_name="programme_coordinations", verbose_name=_("Koordinator·in"))

    class Meta:
        verbose_name = _("Programmkoordination")
        verbose_name_plural = _("Programmkoordination")
        ordering = ["region__name", "pk"]
        constraints = [models.UniqueConstraint(fields=["programme", "region", "user"],
                                               name="programme_coordinator_unique")]

    def __str__(self) -> str:
        return f"{self.programme} · {self.region}: {self.user}"


class PeerSession(models.Model):
    """A peer-learning session of a programme's matches (online or at a place): all active
    matches are invited; attendance and shared notes and material are kept with it."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="peer_sessions",
                                  verbose_name=_("Programm"))
    title = models.CharField(_("Titel"), max_length=200)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"), null=True, blank=True)
    online_url = models.URLField(_("Online-Link"), blank=True, max_length=500)
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    notes = models.TextField(_("Gemeinsame Notizen"), blank=True, max_length=PROGRAMME_DESCRIPTION_MAX_CHARS,
                             validators=[TextLimitValidator(PROGRAMME_DESCRIPTION_MAX_CHARS)],
                             help_text=_("Sichtbar für die Teilnehmenden der Sitzung."))
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Peer-Learning-Sitzung")
        verbose_name_plural = _("Peer-Learning-Sitzungen")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    def clean(self) -> None:
        super().clean()
        if not self.online_url and not self.place.strip():
            raise ValidationError(_("Bitte geben Sie einen Online-Link oder einen Ort an."))
        if self.ends_at and self.ends_at <= self.starts_at:
            raise ValidationError({"ends_at": _("Das Ende liegt vor dem Beginn.")})


class PeerSessionMatch(models.Model):
    """A match invited to a peer-learning session, and whether it attended."""

    session = models.ForeignKey(PeerSession, on_delete=models.CASCADE, related_name="invitations")
    match = models.ForeignKey("matching.Match", on_delete=models.CASCADE, related_name="peer_invitations")
    invited_at = models.DateTimeField(_("eingeladen am"), default=timezone.now)
    attended = models.BooleanField(_("teilgenommen"), null=True, blank=True)

    class Meta:
        verbose_name = _("Einladung zur Peer-Learning-Sitzung")
        verbose_name_plural = _("Einladungen zur Peer-Learning-Sitzung")
        constraints = [models.UniqueConstraint(fields=["session", "match"], name="peer_session_match_once")]


def material_path(instance, filename: str) -> str:
    """A folder of its own per file (two uploads of "Folien.pdf" do not meet); the file is
    private (``settings.PEER_MATERIAL_ROOT``, outside MEDIA_ROOT)."""
    import uuid

    return f"{uuid.uuid4().hex}/{filename[-100:]}"


def peer_material_storage():
    """Material files have no URL: the permission-checked view ``programmes:peer_material``
    hands them to the session's participants and staff only."""
    return PrivateStorage("PEER_MATERIAL_ROOT")


class PeerMaterial(models.Model):
    """Material shared in a session: a link or a file, visible to its participants."""

    session = models.ForeignKey(PeerSession, on_delete=models.CASCADE, related_name="materials")
    title = models.CharField(_("Titel"), max_length=200)
    url = models.URLField(_("Link"), blank=True, max_length=500)
    file = models.FileField(_("Datei"), upload_to=material_path, storage=peer_material_storage, blank=True,
                            max_length=300)
    added_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("Material")
        verbose_name_plural = _("Material")
        ordering = ["added_at", "pk"]

    @property
    def filename(self) -> str:
        return self.file.name.rsplit("/", 1)[-1] if self.file else ""


# The grant and retention models live in their own modules (programmes/grants/, programmes/retention/); imported here
# so that Django registers them with this app.
from matchwerk.programmes.grants.models import CostLine, Grant, Payment, ProofOfUse, Receipt  # noqa: E402,F401
from matchwerk.programmes.retention.models import RetentionRun  # noqa: E402,F401
