from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class RetentionRun(models.Model):
    """That (and when) a programme's retention was applied, with its counts: one per
    programme, so the scheduled task never applies it twice."""

    programme = models.OneToOneField("programmes.Programme", on_delete=models.CASCADE, related_name="retention_run",
                                     verbose_name=_("Programm"))
    ran_at = models.DateTimeField(_("ausgeführt am"), default=timezone.now)
    accounts_erased = models.PositiveIntegerField(_("gelöschte Konten"), default=0)
    persons_anonymised = models.PositiveIntegerField(_("anonymisierte Personeneinträge"), default=0)
    persons_kept = models.PositiveIntegerField(_("behaltene Personen (anderweitig aktiv)"), default=0)
    receipts_deleted = models.PositiveIntegerField(_("gelöschte Belege"), default=0)
    journal_entries_erased = models.PositiveIntegerField(_("geleerte Journaleinträge"), default=0)
    followup_answers_erased = models.PositiveIntegerField(_("geleerte Antworten auf Nachfragen"), default=0)
    peer_materials_deleted = models.PositiveIntegerField(_("gelöschtes Peer-Learning-Material"), default=0)
    match_texts_erased = models.PositiveIntegerField(_("geleerte Ideen und Begründungen von Matches"), default=0)
    milestones_erased = models.PositiveIntegerField(_("geleerte Meilensteine"), default=0)
    peer_sessions_erased = models.PositiveIntegerField(_("geleerte Peer-Learning-Treffen"), default=0)
    grant_texts_erased = models.PositiveIntegerField(_("geleerte Förderanträge und Verwendungsnachweise"), default=0)

    class Meta:
        verbose_name = _("Löschlauf")
        verbose_name_plural = _("Löschläufe")
