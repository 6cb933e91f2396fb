"""Forms of the meetings app (German labels, English in the catalogue)."""

from __future__ import annotations

import re
from datetime import datetime

from django import forms
from django.utils import timezone

from django.utils.translation import gettext_lazy as _

from matchwerk.meetings.enums import Priority
from matchwerk.meetings.models import MESSAGE_MAX_CHARS

_SESSION = re.compile(r"^\s*(?:(\d{4}-\d{2}-\d{2})\s+)?(\d{1,2}:\d{2})\s*[-–]\s*(\d{1,2}:\d{2})\s*$")


def parse_sessions(text: str, day) -> list[tuple[datetime, datetime]]:
    """Lines ``09:00-12:00`` (on the event's first day) or ``2026-12-17 13:00-16:00``."""
    sessions, errors = [], []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        found = _SESSION.match(line)
        if not found:
            errors.append(_("Zeile %(line)s: bitte als „09:00-12:00“ oder „2026-12-17 09:00-12:00“ angeben.")
                          % {"line": number})
            continue
        date_text, start, end = found.groups()
        try:
            date = datetime.strptime(date_text, "%Y-%m-%d").date() if date_text else day
            begin = timezone.make_aware(datetime.combine(date, datetime.strptime(start, "%H:%M").time()))
            finish = timezone.make_aware(datetime.combine(date, datetime.strptime(end, "%H:%M").time()))
        except ValueError:
            errors.append(_("Zeile %(line)s: diese Zeit gibt es nicht.") % {"line": number})
            continue
        sessions.append((begin, finish))
    if errors:
        raise forms.ValidationError(errors)
    return sessions


def sessions_text(sessions, day) -> str:
    lines = []
    for session in sessions:
        start, end = timezone.localtime(session.starts_at), timezone.localtime(session.ends_at)
        prefix = "" if start.date() == day else f"{start:%Y-%m-%d} "
        lines.append(f"{prefix}{start:%H:%M}-{end:%H:%M}")
    return "\n".join(lines)


class BrokerageForm(forms.Form):
    meeting_minutes = forms.IntegerField(label=_("Gesprächsdauer (Minuten)"), initial=20)
    sessions = forms.CharField(label=_("Gesprächsblöcke"), widget=forms.Textarea(attrs={"rows": 3}),
                               help_text=_("Ein Block pro Zeile, z. B. „09:00-12:00“ und „13:00-16:00“ "
                                            "(anderer Tag: „2026-12-17 09:00-12:00“); dazwischen ist Pause."))
    tables = forms.IntegerField(label=_("Tische"), initial=20,
                                help_text=_("So viele Gespräche finden gleichzeitig statt."))
    min_meetings = forms.IntegerField(
        label=_("Gespräche pro Person (mindestens)"), min_value=0, initial=0,
        help_text=_("Ein Ziel, keine feste Regel: der Plan gibt Personen, die sonst darunter blieben, Vorrang. Wer "
                    "trotzdem darunter bleibt (zu wenige angenommene Anfragen, Zeiten oder Tische), steht mit Grund "
                    "in den Kennzahlen des Plans."))
    max_meetings = forms.IntegerField(label=_("Gespräche pro Person (höchstens)"), required=False,
                                      help_text=_("Leer: keine Grenze."))
    requests_open_at = forms.DateTimeField(label=_("Anfragen ab"), required=False,
                                           widget=forms.DateTimeInput(attrs={"type": "datetime-local"}))
    requests_close_at = forms.DateTimeField(label=_("Anfragen bis"), required=False,
                                            widget=forms.DateTimeInput(attrs={"type": "datetime-local"}),
                                            help_text=_("Leer: bis zum Beginn der Veranstaltung."))
    self_booking = forms.BooleanField(label=_("Nach der Veröffentlichung dürfen Teilnehmende freie gemeinsame "
                                               "Zeiten selbst buchen"), required=False)

    def __init__(self, *args, day=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.day = day

    def clean_sessions(self):
        return parse_sessions(self.cleaned_data["sessions"], self.day)


class BoothForm(forms.Form):
    code = forms.CharField(label=_("Check-in-Code der Person"), max_length=16)
    table = forms.IntegerField(label=_("Tisch (leer: Stand entfernen)"), required=False)


class RequestForm(forms.Form):
    message = forms.CharField(label=_("Nachricht"), required=False, max_length=MESSAGE_MAX_CHARS,
                              widget=forms.Textarea(attrs={"rows": 3}),
                              help_text=_("Worüber möchten Sie sprechen?"))
    priority = forms.TypedChoiceField(label=_("Priorität"), choices=Priority.choices, coerce=int,
                                      initial=Priority.WOULD_LIKE, widget=forms.RadioSelect)


class FeedbackForm(forms.Form):
    rating = forms.TypedChoiceField(label=_("Wie war das Gespräch? (1 = schlecht, 5 = sehr gut)"),
                                    choices=[(n, str(n)) for n in range(1, 6)], coerce=int, required=False,
                                    empty_value=None, widget=forms.RadioSelect)
    wants_to_continue = forms.BooleanField(label=_("Ich möchte mit dieser Organisation weiterarbeiten"),
                                           required=False)
    no_show = forms.BooleanField(label=_("Mein Gegenüber ist nicht erschienen"), required=False)
    note = forms.CharField(label=_("Notiz für das Matching-Team"), required=False, max_length=1000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class MoveForm(forms.Form):
    slot = forms.IntegerField(label=_("Zeit"))
    table = forms.IntegerField(label=_("Tisch"), required=False, help_text=_("Leer: ein freier Tisch."))


