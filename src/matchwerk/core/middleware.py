"""The Permissions-Policy header.

Every response forbids the powerful browser features of ``settings.PERMISSIONS_POLICY``
(camera, microphone, geolocation …: ``camera=()``). A view that needs one allows it for
itself with :func:`permissions_policy`, e.g. a check-in page scanning QR codes::

    @permissions_policy(camera=["self"])
    def check_in(request): ...

A hand-written middleware (not django-permissions-policy) because that package sets one
policy for the whole site and has no per-view exception.
"""

from __future__ import annotations

from functools import wraps

from django.conf import settings

_ATTRIBUTE = "matchwerk_permissions_policy"


def permissions_policy(**features: list[str]):
    """Allow features for one view: ``camera=["self"]`` gives ``camera=(self)``."""
    features = {name.replace("_", "-"): list(origins) for name, origins in features.items()}

    def decorate(view):
        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = view(request, *args, **kwargs)
            setattr(response, _ATTRIBUTE, features)
            return response
        return wrapped
    return decorate


def _origin(value: str) -> str:
    return value if value in ("self", "*") else f'"{value}"'


def header_value(policy: dict[str, list[str]]) -> str:
    return ", ".join(f"{name}=({' '.join(_origin(o) for o in origins)})" for name, origins in policy.items())


class PermissionsPolicyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        policy = {**settings.PERMISSIONS_POLICY, **getattr(response, _ATTRIBUTE, {})}
        response.headers.setdefault("Permissions-Policy", header_value(policy))
        return response
