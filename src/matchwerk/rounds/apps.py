from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoundsConfig(AppConfig):
    """Speed-dating rounds and roundtable rotation at events (issue #10, items 4 and 5)."""

    name = "matchwerk.rounds"
    label = "rounds"
    verbose_name = _("Runden und Tische")
    default_auto_field = "django.db.models.BigAutoField"
