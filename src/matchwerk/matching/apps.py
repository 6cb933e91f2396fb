from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MatchingConfig(AppConfig):
    name = "matchwerk.matching"
    label = "matching"
    verbose_name = _("Matching")

    def ready(self) -> None:
        from matchwerk.accounts.rules import is_network_staff
        from matchwerk.core.staff import register_staff_section
        from matchwerk.profiles.signals import organisation_changed

        organisation_changed.connect(_profiles_changed, dispatch_uid="matching_profiles_changed")
        register_staff_section(url_name="matching:queue", label=_("Matching"), rule=is_network_staff, order=30)
        register_staff_section(url_name="matching:caseload", label=_("Betreuung"), rule=is_network_staff, order=32)


def _profiles_changed(sender, organisation_ids, **kwargs) -> None:
    """Profiles announced a change: mark suggestions stale, queue one refresh."""
    from matchwerk.matching.services import organisations_changed

    organisations_changed(organisation_ids=organisation_ids)
