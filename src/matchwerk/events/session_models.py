"""The programme of an event: sessions with times and rooms, and who is in which
working group. Imported by ``events.models`` (Django finds the models there)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.enums import SessionKind


class Session(models.Model):
    """One item of an event's programme: a talk, workshop, panel, working group or break."""

    event = models.ForeignKey("events.Event", on_delete=models.CASCADE, related_name="sessions",
                              verbose_name=_("Veranstaltung"))
    kind = models.CharField(_("Art"), max_length=16, choices=SessionKind.choices, default=SessionKind.TALK)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True, max_length=2000,
                                   validators=[TextLimitValidator(2000)])
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    room = models.CharField(_("Raum"), max_length=100, blank=True)
    capacity = models.PositiveIntegerField(_("Plätze"), null=True, blank=True,
                                           help_text=_("Für Arbeitsgruppen: wie viele Personen höchstens; "
                                                       "leer: ohne Grenze."))

    class Meta:
        verbose_name = _("Programmpunkt")
        verbose_name_plural = _("Programmpunkte")
        ordering = ["event", "starts_at", "room", "pk"]
        constraints = [models.CheckConstraint(condition=Q(ends_at__gt=F("starts_at")),
                                              name="session_ends_after_start")]

    def __str__(self) -> str:
        return self.title

    @property
    def is_working_group(self) -> bool:
        return self.kind == SessionKind.WORKING_GROUP

    def clean(self) -> None:
        errors: dict[str, list] = {}
        if self.starts_at and self.ends_at and self.ends_at <= self.starts_at:
            errors.setdefault("ends_at", []).append(_("Das Ende muss nach dem Beginn liegen."))
        event = self.event if self.event_id else None
        if event is not None and self.starts_at and self.ends_at and (
                self.starts_at < event.starts_at or self.ends_at > event.ends_at):
            errors.setdefault("starts_at", []).append(
                _("Ein Programmpunkt muss innerhalb der Veranstaltung liegen (%(start)s – %(end)s).")
                % {"start": _local(event.starts_at), "end": _local(event.ends_at)})
        if self.capacity is not None and self.capacity < 1:
            errors.setdefault("capacity", []).append(_("Eine Arbeitsgruppe braucht mindestens einen Platz."))
        if errors:
            raise ValidationError(errors)


def _local(moment) -> str:
    from django.utils import timezone

    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M")


class GroupMember(models.Model):
    """A registration assigned to a working group (by ``compose`` or by hand)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="members",
                                verbose_name=_("Arbeitsgruppe"))
    registration = models.ForeignKey("events.Registration", on_delete=models.CASCADE, related_name="groups",
                                     verbose_name=_("Anmeldung"))
    proposed = models.BooleanField(_("vom Vorschlag"), default=False)

    class Meta:
        verbose_name = _("Mitglied einer Arbeitsgruppe")
        verbose_name_plural = _("Mitglieder von Arbeitsgruppen")
        constraints = [models.UniqueConstraint(fields=["session", "registration"], name="group_member_unique")]

    def __str__(self) -> str:
        return f"{self.registration} · {self.session}"
