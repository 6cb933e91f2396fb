from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import PROGRAMME_DESCRIPTION_MAX_CHARS, TextLimitValidator
from matchwerk.matching.enums import DEFAULT_KIND_PAIRS


def default_kind_pairs() -> list:
    return [list(pair) for pair in DEFAULT_KIND_PAIRS]


class Programme(models.Model):
    """A matchmaking programme: which kinds it pairs, in which regions, and its team.

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

    class Meta:
        # The table keeps its name from the time the model lived in the matching app, so
        # moving the model kept every row (migrations programmes 0001 / matching 0002).
        db_table = "matching_programme"
        verbose_name = _("Programm")
        verbose_name_plural = _("Programme")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def allows(self, kind_a: str, kind_b: str) -> bool:
        return any({kind_a, kind_b} == set(pair) and (kind_a != kind_b or pair[0] == pair[1])
                   for pair in self.kind_pairs)
