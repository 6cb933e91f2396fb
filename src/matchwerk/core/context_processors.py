from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchwerk import permissions


def navigation(request):
    """Navigation entries beyond the public ones, by role."""
    user = getattr(request, "user", None)
    items = []
    if user is not None and user.is_authenticated:
        items.append({"url": reverse("matching:my_matches"), "label": _("Meine Matches")})
        items.append({"url": reverse("events:agenda"), "label": _("Meine Veranstaltungen")})
    if permissions.can_review_suggestions(user):
        items.append({"url": reverse("matching:queue"), "label": _("Matching")})
    if permissions.can_view_backoffice(user):
        items.append({"url": reverse("backoffice:index"), "label": _("Backoffice")})
    return {"nav_items": items}
