from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EventsConfig(AppConfig):
    name = "matchwerk.events"
    label = "events"
    verbose_name = _("Veranstaltungen")

    def ready(self) -> None:
        from matchwerk.accounts.selectors import register_export_section
        from matchwerk.events.selectors import ideas_export, registrations_export, wall_posts_export

        register_export_section("events", registrations_export)
        register_export_section("event_ideas", ideas_export)
        register_export_section("wall_posts", wall_posts_export)
        from matchwerk.events import signals  # account erasure → anonymous registrations

        signals.connect_privacy()  # photo consent withdrawn → photos off the walls

        from matchwerk.core.staff import register_staff_section
        from matchwerk.events import rules

        register_staff_section(url_name="events:staff_list", label=_("Veranstaltungen"),
                               rule=rules.can_manage_events, order=40)
        register_staff_section(url_name="events:staff_ideas", label=_("Veranstaltungsideen"),
                               rule=rules.can_review_ideas, order=41)
