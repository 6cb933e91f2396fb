"""Event ideas: anyone signed in proposes an event; staff accept (a draft event is made
from it), ask for changes or decline. Imported by ``events.models``."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.core.limits import TextLimitValidator
from matchwerk.events.enums import EventFormat, IdeaStatus

IDEA_TEXT_MAX = 3000


def _text(label, help_text=""):
    return models.TextField(label, blank=True, max_length=IDEA_TEXT_MAX, validators=[TextLimitValidator(IDEA_TEXT_MAX)],
                            help_text=help_text)


class EventIdea(models.Model):
    submitter = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL,
                                  related_name="event_ideas", verbose_name=_("eingereicht von"))
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Worum geht es?"), max_length=IDEA_TEXT_MAX,
                                   validators=[TextLimitValidator(IDEA_TEXT_MAX)])
    format = models.CharField(_("Format"), max_length=20, choices=EventFormat.choices)
    topics = models.ManyToManyField("profiles.Topic", blank=True, related_name="event_ideas",
                                    verbose_name=_("Themen"))
    region = models.ForeignKey("profiles.Region", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="event_ideas", verbose_name=_("Region"))
    target_groups = _text(_("Für wen?"), _("z. B. Startups und Handwerksbetriebe"))
    partners = _text(_("Partner"), _("Wer macht mit oder sollte mitmachen?"))
    place_and_time = _text(_("Ort und Zeit (Vorschlag)"))
    gain = _text(_("Was haben die Teilnehmenden davon?"))
    status = models.CharField(_("Status"), max_length=12, choices=IdeaStatus.choices, default=IdeaStatus.SUBMITTED)
    message = models.TextField(_("Nachricht an die Einreichenden"), blank=True, max_length=2000,
                               validators=[TextLimitValidator(2000)])
    event = models.ForeignKey("events.Event", null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="ideas", verbose_name=_("Veranstaltung"))
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+", verbose_name=_("entschieden von"))
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    created_at = models.DateTimeField(_("eingereicht am"), default=timezone.now)

    class Meta:
        verbose_name = _("Veranstaltungsidee")
        verbose_name_plural = _("Veranstaltungsideen")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["status", "created_at"])]

    def __str__(self) -> str:
        return self.title
