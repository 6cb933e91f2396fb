from django.db import models
from django.utils.translation import gettext_lazy as _


class GrantStatus(models.TextChoices):
    APPLIED = "applied", _("beantragt")
    CHANGES_REQUESTED = "changes", _("Änderungen erbeten")
    APPROVED = "approved", _("bewilligt")


class ProofStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingereicht")
    CHANGES_REQUESTED = "changes", _("Nachbesserung erbeten")
    ACCEPTED = "accepted", _("geprüft und anerkannt")


# Receipts (proof of use): the formats as detected from the content -> (extension, content type).
RECEIPT_TYPES = {"PDF": ("pdf", "application/pdf"), "PNG": ("png", "image/png"), "JPEG": ("jpg", "image/jpeg")}
RECEIPTS_PER_PROOF = 20
COST_LINES_MAX = 20
