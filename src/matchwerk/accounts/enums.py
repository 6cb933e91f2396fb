from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    PARTICIPANT = "participant", _("Teilnehmende")
    COORDINATOR = "coordinator", _("Netzwerkkoordination")
    MATCHING_TEAM = "matching_team", _("Matching-Team")
    ADMIN = "admin", _("Administration")
