"""Forms of the token page and the staff's webhook pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matchwerk.api.enums import WebhookEvent


class ApiTokenForm(forms.Form):
    name = forms.CharField(label=_("Bezeichnung"), max_length=100,
                           help_text=_("Wofür der Schlüssel ist, z. B. „CRM-Abgleich“."))
    read_only = forms.BooleanField(label=_("nur lesen (kann nichts ändern)"), required=False, initial=True)


class WebhookForm(forms.Form):
    url = forms.URLField(label=_("Adresse (URL)"), max_length=500, assume_scheme="https",
                         help_text=_("Die Adresse Ihres Systems, an die Matchwerk die Ereignisse sendet "
                                     "(http oder https; keine internen Adressen)."))
    events = forms.MultipleChoiceField(label=_("Ereignisse"), choices=WebhookEvent.choices,
                                       widget=forms.CheckboxSelectMultiple)
    is_active = forms.BooleanField(label=_("aktiv"), required=False, initial=True)


class CalendarFilterForm(forms.Form):
    region = forms.SlugField(required=False)
