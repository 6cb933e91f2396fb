from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    name = "matchwerk.api"
    label = "api"
    verbose_name = _("Programmierschnittstelle")

    def ready(self) -> None:
        from matchwerk.api import rules
        from matchwerk.core.staff import register_staff_section

        register_staff_section(url_name="api:webhook_list", label=_("Webhooks"), rule=rules.can_manage_webhooks,
                               order=90)
