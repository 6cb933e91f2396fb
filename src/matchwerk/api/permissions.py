"""The API's door: signed in (by token or session), and read-only tokens only read.

Object-level rights are not decided here but by each app's rules: querysets are
narrowed by the app's selectors/rules (a foreign object is simply not found: 404) and
writes go through the app's services, which ask the same predicates again (403).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from matchwerk.accounts.rules import is_active_user
from matchwerk.api.models import ApiToken


class SignedInAndTokenScope(permissions.BasePermission):
    message = _("Dieser Schlüssel darf nur lesen.")

    def has_permission(self, request, view) -> bool:
        if not is_active_user.test(request.user):
            return False
        if request.method in permissions.SAFE_METHODS:
            return True
        token = request.auth
        return not (isinstance(token, ApiToken) and token.read_only)
