"""Grant, its cost plan, payments and proof of use (with receipt files).

Amounts are ``Decimal`` EUR with two places (``DecimalField``), never floats. The sums a
programme's budget is checked against are read inside the approving transaction after
the programme row is locked (``services.grant_approve``).
"""

from __future__ import annotations

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import Q, Sum
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.core.private_files import PrivateStorage
from matchwerk.programmes.grants.enums import GrantStatus, ProofStatus

CENT = Decimal("0.01")
MONEY = {"max_digits": 12, "decimal_places": 2}
PURPOSE_MAX_CHARS = 4000
REPORT_MAX_CHARS = 8000


def receipt_storage():
    """Receipts are kept in ``settings.RECEIPTS_ROOT``, outside MEDIA_ROOT (never served by
    URL); they are read through the permission-checked download view only."""
    return PrivateStorage("RECEIPTS_ROOT")


class Grant(models.Model):
    """A match's grant: what the money is for and a cost plan; approved (within the
    programme's budget) by the match's coordinator."""

    programme = models.ForeignKey("programmes.Programme", on_delete=models.PROTECT, related_name="grants",
                                  verbose_name=_("Programm"))
    match = models.OneToOneField("matching.Match", on_delete=models.PROTECT, related_name="grant",
                                 verbose_name=_("Match"))
    purpose = models.TextField(_("Wofür wird das Geld gebraucht?"), max_length=PURPOSE_MAX_CHARS,
                               validators=[TextLimitValidator(PURPOSE_MAX_CHARS)])
    status = models.CharField(_("Status"), max_length=10, choices=GrantStatus.choices, default=GrantStatus.APPLIED)
    amount_requested = models.DecimalField(_("beantragt (EUR)"), default=Decimal("0.00"), **MONEY)
    amount_approved = models.DecimalField(_("bewilligt (EUR)"), null=True, blank=True, **MONEY)
    staff_note = models.TextField(_("Hinweis der Koordination"), blank=True, max_length=2000)
    applied_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("beantragt von"))
    applied_at = models.DateTimeField(_("beantragt am"), default=timezone.now)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entschieden von"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Förderung")
        verbose_name_plural = _("Förderungen")
        ordering = ["-applied_at", "-id"]
        constraints = [
            models.CheckConstraint(condition=Q(amount_requested__gte=0), name="grant_requested_not_negative"),
            models.CheckConstraint(condition=Q(amount_approved__isnull=True) | Q(amount_approved__gt=0),
                                   name="grant_approved_positive"),
            models.CheckConstraint(condition=~Q(status=GrantStatus.APPROVED) | Q(amount_approved__isnull=False),
                                   name="grant_approved_has_amount"),
        ]
        indexes = [models.Index(fields=["programme", "status"], name="grant_programme_status")]

    def __str__(self) -> str:
        return f"{self.match} · {self.amount_approved or self.amount_requested} EUR"

    @property
    def is_approved(self) -> bool:
        return self.status == GrantStatus.APPROVED

    def paid_total(self) -> Decimal:
        return self.payments.aggregate(total=Sum("amount"))["total"] or Decimal("0.00")


class CostLine(models.Model):
    """One line of a grant's simple cost plan."""

    grant = models.ForeignKey(Grant, on_delete=models.CASCADE, related_name="cost_lines")
    position = models.PositiveSmallIntegerField(_("Position"), default=0)
    description = models.CharField(_("Posten"), max_length=200)
    amount = models.DecimalField(_("Betrag (EUR)"), validators=[MinValueValidator(CENT)], **MONEY)

    class Meta:
        verbose_name = _("Kostenposition")
        verbose_name_plural = _("Kostenplan")
        ordering = ["position", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="cost_line_positive")]


class Payment(models.Model):
    """Money paid out on an approved grant (the sum never exceeds the approved amount)."""

    grant = models.ForeignKey(Grant, on_delete=models.PROTECT, related_name="payments")
    paid_on = models.DateField(_("Zahlungsdatum"))
    amount = models.DecimalField(_("Betrag (EUR)"), validators=[MinValueValidator(CENT)], **MONEY)
    reference = models.CharField(_("Buchungszeichen / Verwendungszweck"), max_length=140)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                    related_name="+", verbose_name=_("erfasst von"))
    recorded_at = models.DateTimeField(_("erfasst am"), default=timezone.now)

    class Meta:
        verbose_name = _("Zahlung")
        verbose_name_plural = _("Zahlungen")
        ordering = ["paid_on", "id"]
        constraints = [models.CheckConstraint(condition=Q(amount__gt=0), name="payment_positive")]


class ProofOfUse(models.Model):
    """The match's proof of how the money was used: a short report and receipts."""

    grant = models.OneToOneField(Grant, on_delete=models.CASCADE, related_name="proof")
    report = models.TextField(_("Kurzbericht"), max_length=REPORT_MAX_CHARS,
                              validators=[TextLimitValidator(REPORT_MAX_CHARS)])
    status = models.CharField(_("Status"), max_length=10, choices=ProofStatus.choices, default=ProofStatus.SUBMITTED)
    check_note = models.TextField(_("Hinweis der Prüfung"), blank=True, max_length=2000)
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                     related_name="+")
    submitted_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)
    checked_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    checked_at = models.DateTimeField(_("geprüft am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")


class Receipt(models.Model):
    """A receipt file of a proof of use; its name and type follow the detected content."""

    proof = models.ForeignKey(ProofOfUse, on_delete=models.CASCADE, related_name="receipts")
    file = models.FileField(_("Beleg"), upload_to="%Y/%m/", storage=receipt_storage)
    original_name = models.CharField(_("Dateiname"), max_length=200)
    content_type = models.CharField(_("Inhaltstyp"), max_length=60)
    size = models.PositiveIntegerField(_("Größe"))
    uploaded_at = models.DateTimeField(_("hochgeladen am"), default=timezone.now)

    class Meta:
        verbose_name = _("Beleg")
        verbose_name_plural = _("Belege")
        ordering = ["uploaded_at", "id"]
