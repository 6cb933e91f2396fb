from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProfilesConfig(AppConfig):
    name = "matchwerk.profiles"
    label = "profiles"
    verbose_name = _("Profile")

    def ready(self) -> None:
        from matchwerk.privacy.signals import consent_recorded

        consent_recorded.connect(_consent_recorded, dispatch_uid="profiles_consent_recorded")

        from matchwerk.accounts.rules import is_network_staff
        from matchwerk.core.staff import register_staff_section
        from matchwerk.profiles import rules

        register_staff_section(url_name="backoffice:index", label=_("Übersicht"), rule=is_network_staff, order=0)
        register_staff_section(url_name="backoffice:organisation_list", label=_("Organisationen"),
                               rule=is_network_staff, order=10)
        register_staff_section(url_name="backoffice:person_list", label=_("Personen"), rule=is_network_staff,
                               order=20)
        register_staff_section(url_name="backoffice:topic_list", label=_("Themen"), rule=rules.can_manage_topics,
                               order=60)
        register_staff_section(url_name="backoffice:region_list", label=_("Regionen"), rule=is_network_staff,
                               order=70)
        register_staff_section(url_name="backoffice:import", label=_("Import"), rule=rules.can_import_organisations,
                               order=80)
        register_staff_section(url_name="backoffice:contacts_invite", label=_("Einladungen"),
                               rule=rules.can_import_organisations, order=85)
        register_staff_section(url_name="backoffice:export", label=_("Export"), rule=rules.can_export_directory,
                               order=90)


def _consent_recorded(sender, consent, organisation_id, **kwargs) -> None:
    """Giving or withdrawing the matching consent changes the organisation's matching profile."""
    from matchwerk.privacy.enums import ConsentPurpose
    from matchwerk.profiles.signals import announce_changed

    if organisation_id and consent.purpose == ConsentPurpose.MATCHING:
        announce_changed(organisation_id)
