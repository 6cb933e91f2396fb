from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ProgrammesConfig(AppConfig):
    name = "matchwerk.programmes"
    label = "programmes"
    verbose_name = _("Programme")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from matchwerk.accounts.rules import is_network_staff
        from matchwerk.core.staff import register_staff_section

        register_staff_section(url_name="programmes:list", label=_("Programme"), rule=is_network_staff, order=35)
        register_staff_section(url_name="grants:staff_index", label=_("Förderungen und Berichte"),
                               rule=is_network_staff, order=45)
