"""Webhook addresses and server-side request forgery (SSRF).

A webhook makes the server send requests to an address staff typed in. To keep that
from reaching the machine's own services or the internal network:

* only ``http`` and ``https`` URLs, without user names or passwords in them;
* the host name is resolved at registration and again before every delivery, and
  every address it resolves to must be public: loopback, private (RFC 1918, ULA),
  link-local (cloud metadata at 169.254.169.254), multicast, reserved and unspecified
  addresses are refused — unless ``MATCHWERK_WEBHOOK_ALLOW_PRIVATE=1`` (tests, and
  networks whose CRM runs in their own intranet);
* redirects are never followed and no proxy from the environment is used.

What remains: a host name whose DNS answer changes between the check and the connection
(DNS rebinding) could still reach an internal address; operators who worry about that
put an egress firewall in front of the worker.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _


def _public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_unspecified)


def webhook_url_problem(url: str, *, resolve: bool = True) -> str:
    """Why ``url`` cannot be a webhook address ("" when it can)."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return _("Diese Adresse ist keine gültige URL.")
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return _("Nur http- und https-Adressen sind erlaubt.")
    if parts.username or parts.password:
        return _("Zugangsdaten gehören nicht in die Adresse.")
    if not resolve:
        return ""
    try:
        infos = socket.getaddrinfo(parts.hostname, port or (443 if parts.scheme == "https" else 80),
                                   proto=socket.IPPROTO_TCP)
    except (socket.gaierror, UnicodeError, OSError):
        return _("Der Rechnername dieser Adresse ist unbekannt.")
    if getattr(settings, "WEBHOOK_ALLOW_PRIVATE", False):
        return ""
    if not infos or not all(_public(info[4][0]) for info in infos):
        return _("Adressen im internen Netz (localhost, private oder reservierte Bereiche) sind nicht erlaubt.")
    return ""
