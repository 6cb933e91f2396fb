from django.conf import settings
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.rules import is_network_staff
from matchwerk.core.staff import staff_sections


def navigation(request):
    """Navigation entries beyond the public ones, by role, and the back office's sections."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append({"url": reverse("matching:my_matches"), "label": _("Meine Matches")})
        items.append({"url": reverse("events:agenda"), "label": _("Meine Veranstaltungen")})
    sections = staff_sections(user) if is_network_staff.test(user) else []
    if sections:
        items.append({"url": reverse("backoffice:index"), "label": _("Backoffice")})
    return {"nav_items": items, "staff_sections": sections, "htmx_script": settings.HTMX_SCRIPT}
