from __future__ import annotations

import re

from django import forms
from django.conf import settings
from django.utils.formats import get_format
from django.utils.translation import gettext_lazy as _

from matchwerk.programmes.grants.enums import COST_LINES_MAX, RECEIPTS_PER_PROOF
from matchwerk.programmes.grants.models import PURPOSE_MAX_CHARS, REPORT_MAX_CHARS

AMOUNT = {"max_digits": 12, "decimal_places": 2, "min_value": 0.01}


class EuroField(forms.DecimalField):
    """An amount in the active language's notation that also accepts the grouped form the
    pages show ("1.500,00" in German): Django only strips thousands separators when
    USE_THOUSAND_SEPARATOR is on, which would group every number on every page."""

    def to_python(self, value):
        if isinstance(value, str):
            thousands, decimal = get_format("THOUSAND_SEPARATOR"), get_format("DECIMAL_SEPARATOR")
            grouped = rf"-?\d{{1,3}}(?:{re.escape(thousands)}\d{{3}})+(?:{re.escape(decimal)}\d*)?"
            if thousands and re.fullmatch(grouped, value.strip()):
                value = value.strip().replace(thousands, "")
        return super().to_python(value)


class GrantApplicationForm(forms.Form):
    purpose = forms.CharField(label=_("Wofür wird das Geld gebraucht?"), max_length=PURPOSE_MAX_CHARS,
                              widget=forms.Textarea(attrs={"rows": 5}))


class CostLineForm(forms.Form):
    description = forms.CharField(label=_("Posten"), max_length=200, required=False)
    amount = EuroField(label=_("Betrag (EUR)"), required=False, localize=True, **AMOUNT)

    def clean(self):
        data = super().clean()
        if data.get("description") and data.get("amount") is None:
            self.add_error("amount", _("Bitte einen Betrag angeben."))
        if data.get("amount") is not None and not data.get("description"):
            self.add_error("description", _("Bitte den Posten benennen."))
        return data


CostLineFormSet = forms.formset_factory(CostLineForm, extra=3, max_num=COST_LINES_MAX, validate_max=True)


class ApproveForm(forms.Form):
    amount = EuroField(label=_("Bewilligter Betrag (EUR)"), localize=True, **AMOUNT)
    note = forms.CharField(label=_("Hinweis an das Match"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))


class RequestChangesForm(forms.Form):
    note = forms.CharField(label=_("Was soll geändert werden?"), max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 3}))


class PaymentForm(forms.Form):
    paid_on = forms.DateField(label=_("Zahlungsdatum"), widget=forms.DateInput(attrs={"type": "date"}))
    amount = EuroField(label=_("Betrag (EUR)"), localize=True, **AMOUNT)
    reference = forms.CharField(label=_("Buchungszeichen / Verwendungszweck"), max_length=140)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class ReceiptsField(forms.FileField):
    widget = MultipleFileInput

    def clean(self, data, initial=None):
        single = super().clean
        if isinstance(data, (list, tuple)):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class ProofForm(forms.Form):
    report = forms.CharField(label=_("Kurzbericht: Was ist mit dem Geld entstanden?"), max_length=REPORT_MAX_CHARS,
                             widget=forms.Textarea(attrs={"rows": 6}))
    receipts = ReceiptsField(label=_("Belege"), required=False,
                             widget=MultipleFileInput(attrs={"accept": "application/pdf,image/png,image/jpeg"}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["receipts"].help_text = _(
            "PDF, PNG oder JPEG, je Datei höchstens %(mb)d MB, insgesamt höchstens %(count)d Belege.") % {
            "mb": settings.RECEIPT_MAX_BYTES // (1024 * 1024), "count": RECEIPTS_PER_PROOF}


class ProofCheckForm(forms.Form):
    decision = forms.ChoiceField(label=_("Ergebnis"), widget=forms.RadioSelect, choices=[
        ("accept", _("Nachweis anerkennen")), ("return", _("Nachbesserung erbitten"))])
    note = forms.CharField(label=_("Hinweis"), required=False, max_length=2000,
                           widget=forms.Textarea(attrs={"rows": 2}))
