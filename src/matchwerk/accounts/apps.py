from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "matchwerk.accounts"
    label = "accounts"
    verbose_name = _("Konten")

    def ready(self) -> None:
        from matchwerk.accounts.rules import can_manage_users
        from matchwerk.core.staff import register_staff_section

        register_staff_section(url_name="accounts:user_list", label=_("Konten und Rollen"), rule=can_manage_users,
                               order=100)
