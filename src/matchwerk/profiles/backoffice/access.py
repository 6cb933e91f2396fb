"""The back office's door: log in first, then network staff only (403 for everyone else)."""

from __future__ import annotations

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from matchwerk import permissions


def staff_view(check=permissions.can_view_backoffice):
    """Wrap a view: anonymous users go to the login page, users failing ``check`` get 403."""
    def decorate(view):
        @login_required
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not permissions.can_view_backoffice(request.user) or not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)
        return wrapped
    return decorate
