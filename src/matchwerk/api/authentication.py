"""``Authorization: Token <token>``: a personal token acts as its user.

A revoked token, a token of a deactivated account and an unknown token answer 401 with
the same message (nothing tells which). The browsable docs use the session instead
(with Django's CSRF check on writes).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import authentication, exceptions

from matchwerk.api.services import api_token_for, api_token_touch

KEYWORD = "Token"


class TokenAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request):
        header = authentication.get_authorization_header(request).split()
        if not header or header[0].lower() != KEYWORD.lower().encode():
            return None
        if len(header) != 2:
            raise exceptions.AuthenticationFailed(_("Ungültiger Token-Header: erwartet „Token <Schlüssel>“."))
        try:
            raw = header[1].decode("ascii")
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("Ungültiger oder widerrufener Schlüssel.")) from None
        token = api_token_for(raw)
        if token is None:
            raise exceptions.AuthenticationFailed(_("Ungültiger oder widerrufener Schlüssel."))
        api_token_touch(token)
        return token.user, token

    def authenticate_header(self, request) -> str:
        return KEYWORD


class TokenScheme(OpenApiAuthenticationExtension):
    target_class = "matchwerk.api.authentication.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "`Token <your token>` — create one on the page “API-Schlüssel”."}
