"""Rate limits: per token (``API_TOKEN_RATE``, e.g. ``600/min``), and per account for
session requests (``API_SESSION_RATE``). Over the limit: 429 with ``Retry-After``."""

from __future__ import annotations

from django.conf import settings
from rest_framework.throttling import SimpleRateThrottle

from matchwerk.api.models import ApiToken


class TokenRateThrottle(SimpleRateThrottle):
    scope = "token"

    def get_rate(self):
        return settings.API_TOKEN_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken):
            return self.cache_format % {"scope": self.scope, "ident": request.auth.pk}
        return None


class SessionRateThrottle(SimpleRateThrottle):
    scope = "session"

    def get_rate(self):
        return settings.API_SESSION_RATE

    def get_cache_key(self, request, view):
        if isinstance(request.auth, ApiToken) or not request.user.is_authenticated:
            return None
        return self.cache_format % {"scope": self.scope, "ident": request.user.pk}
