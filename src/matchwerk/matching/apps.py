from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matchwerk.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from matchwerk.matching import signals  # noqa: F401  (profile changes → recompute)
