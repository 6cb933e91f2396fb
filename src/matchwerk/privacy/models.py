from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.privacy.enums import ConsentPurpose


class Consent(models.Model):
    """One consent decision, kept forever as a record: who, for what, which text, when.

    The newest record per (user, organisation, purpose) is the one in force.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="consents",
                             verbose_name=_("Person"))
    organisation = models.ForeignKey("profiles.Organisation", null=True, blank=True, on_delete=models.CASCADE,
                                     related_name="consents", verbose_name=_("Organisation"))
    purpose = models.CharField(_("Zweck"), max_length=20, choices=ConsentPurpose.choices)
    granted = models.BooleanField(_("erteilt"))
    text_version = models.CharField(_("Textversion"), max_length=20)
    recorded_at = models.DateTimeField(_("erfasst am"), default=timezone.now)

    class Meta:
        # The table keeps its name from the profiles app, where the model lived first.
        db_table = "profiles_consent"
        verbose_name = _("Einwilligung")
        verbose_name_plural = _("Einwilligungen")
        ordering = ["-recorded_at", "-id"]
        indexes = [models.Index(fields=["user", "purpose", "-recorded_at"], name="profiles_co_user_id_a8331f_idx")]

    def __str__(self) -> str:
        return f"{self.user} · {self.get_purpose_display()} · {'ja' if self.granted else 'nein'}"
