"""Personal API tokens, webhooks and their deliveries."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.api.enums import DeliveryStatus


class ApiToken(models.Model):
    """A personal access token: it acts with its user's rights. Only the SHA-256 digest
    of the token is stored; the token itself is shown once, when it is created."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens",
                             verbose_name=_("Konto"))
    name = models.CharField(_("Bezeichnung"), max_length=100)
    digest = models.CharField(_("Prüfsumme"), max_length=64, unique=True, editable=False)
    prefix = models.CharField(_("Anfang"), max_length=12, editable=False,
                              help_text=_("Die ersten Zeichen, damit Sie den Schlüssel wiedererkennen."))
    read_only = models.BooleanField(_("nur lesen"), default=False)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    last_used_at = models.DateTimeField(_("zuletzt benutzt"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("widerrufen am"), null=True, blank=True)

    class Meta:
        verbose_name = _("API-Schlüssel")
        verbose_name_plural = _("API-Schlüssel")
        ordering = ["-created_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None


class Webhook(models.Model):
    """A URL that staff registered to be told about events (``WebhookEvent``). Each
    delivery is signed with the hook's secret and sent only about objects its owner may see."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="webhooks",
                              verbose_name=_("angelegt von"))
    url = models.URLField(_("Adresse (URL)"), max_length=500)
    events = models.JSONField(_("Ereignisse"), default=list)
    secret = models.CharField(_("Geheimnis"), max_length=100, editable=False)
    is_active = models.BooleanField(_("aktiv"), default=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)

    class Meta:
        verbose_name = _("Webhook")
        verbose_name_plural = _("Webhooks")
        ordering = ["url", "pk"]

    def __str__(self) -> str:
        return self.url


class WebhookDelivery(models.Model):
    """One message to one hook: the exact body that is signed and sent, each attempt's
    outcome, and whether it finally arrived."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries",
                                verbose_name=_("Webhook"))
    event = models.CharField(_("Ereignis"), max_length=40)
    body = models.TextField(_("Inhalt"))
    timestamp = models.BigIntegerField(_("Zeitstempel"))
    status = models.CharField(_("Status"), max_length=10, choices=DeliveryStatus.choices,
                              default=DeliveryStatus.PENDING)
    attempts = models.PositiveSmallIntegerField(_("Versuche"), default=0)
    response_status = models.PositiveSmallIntegerField(_("Antwortcode"), null=True, blank=True)
    error = models.CharField(_("Fehler"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    last_attempt_at = models.DateTimeField(_("letzter Versuch"), null=True, blank=True)
    next_attempt_at = models.DateTimeField(_("nächster Versuch"), null=True, blank=True)
    resent_from = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+",
                                    verbose_name=_("erneut gesendet von"))

    class Meta:
        verbose_name = _("Webhook-Zustellung")
        verbose_name_plural = _("Webhook-Zustellungen")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "next_attempt_at"])]

    def __str__(self) -> str:
        return f"{self.event} → {self.webhook.url} ({self.status})"
