from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from matchwerk import permissions


def navigation(request):
    """Extra navigation entries for the network's staff."""
    user = getattr(request, "user", None)
    items = []
    if permissions.can_view_backoffice(user):
        items.append({"url": reverse("backoffice:index"), "label": _("Backoffice")})
    return {"nav_items": items}
