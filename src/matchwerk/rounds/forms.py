"""Forms of the rounds app: the settings per kind (lengths in minutes, stored in seconds)."""

from __future__ import annotations

from decimal import Decimal

from django import forms
from django.utils.translation import gettext_lazy as _

from matchwerk.profiles.enums import OrganisationKind
from matchwerk.rounds.enums import PairMode, PlanKind
from matchwerk.rounds.models import MAX_ROUNDS, MAX_TABLES, RoundSetup


class _SetupForm(forms.Form):
    rounds = forms.IntegerField(label=_("Runden"), min_value=1, max_value=MAX_ROUNDS,
                                error_messages={"min_value": _("Es braucht mindestens eine Runde.")})
    round_minutes = forms.DecimalField(label=_("Minuten pro Runde"), min_value=Decimal("0.1"), max_value=240,
                                       decimal_places=1)
    break_minutes = forms.DecimalField(label=_("Minuten Pause zwischen den Runden"), min_value=0, max_value=240,
                                       decimal_places=1)
    clock_starts_at = forms.DateTimeField(
        label=_("Beginn der ersten Runde"), required=False,
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
        help_text=_("Leer: Die Uhr startet erst, wenn Sie „Uhr jetzt starten“ drücken."))

    @classmethod
    def initial_from(cls, setup: RoundSetup) -> dict:
        initial = {name: getattr(setup, name) for name in cls.base_fields if hasattr(setup, name)}
        initial["round_minutes"] = Decimal(setup.round_seconds) / 60
        initial["break_minutes"] = Decimal(setup.break_seconds) / 60
        return initial

    def service_fields(self) -> dict:
        data = dict(self.cleaned_data)
        data["round_seconds"] = max(1, round(data.pop("round_minutes") * 60))
        data["break_seconds"] = round(data.pop("break_minutes") * 60)
        return data


class SpeedSetupForm(_SetupForm):
    tables = forms.IntegerField(label=_("Tische (je zwei Personen)"), min_value=1, max_value=MAX_TABLES,
                                error_messages={"min_value": _("Es braucht mindestens einen Tisch.")})
    side_a_label = forms.CharField(label=_("Bezeichnung Seite A"), max_length=60)
    side_a_kinds = forms.MultipleChoiceField(label=_("Seite A: Arten von Organisationen"), required=False,
                                             choices=OrganisationKind.choices, widget=forms.CheckboxSelectMultiple)
    side_b_label = forms.CharField(label=_("Bezeichnung Seite B"), max_length=60)
    side_b_kinds = forms.MultipleChoiceField(label=_("Seite B: Arten von Organisationen"), required=False,
                                             choices=OrganisationKind.choices, widget=forms.CheckboxSelectMultiple)
    pair_mode = forms.ChoiceField(label=_("Welche Paare?"), choices=PairMode.choices, widget=forms.RadioSelect)

    def clean(self):
        data = super().clean()
        overlap = set(data.get("side_a_kinds") or ()) & set(data.get("side_b_kinds") or ())
        if overlap:
            raise forms.ValidationError(_("Eine Art von Organisation kann nur auf einer Seite stehen."))
        return data


class RoundtableSetupForm(_SetupForm):
    table_size = forms.IntegerField(label=_("Personen pro Tisch"), min_value=2, max_value=1000,
                                    error_messages={"min_value": _("An einem Tisch sitzen mindestens zwei Personen.")})
    table_topics = forms.CharField(label=_("Themen und Gastgeber der Tische"), required=False, max_length=5000,
                                   widget=forms.Textarea(attrs={"rows": 6}),
                                   help_text=_("Eine Zeile pro Tisch: Thema | Gastgeber, z. B. „Smart City | "
                                               "Dr. Anna Weber“."))
    separate_colleagues = forms.BooleanField(label=_("Kolleginnen und Kollegen einer Organisation trennen"),
                                             required=False)
    separate_partners = forms.BooleanField(label=_("bestehende Match-Partner trennen"), required=False)


def setup_form(kind: str, *args, **kwargs) -> _SetupForm:
    return (SpeedSetupForm if kind == PlanKind.SPEED else RoundtableSetupForm)(*args, **kwargs)


class SeatMoveForm(forms.Form):
    """Move one person to another table in one round (no table: the person sits it out)."""

    person = forms.IntegerField(label=_("Person"))
    round = forms.IntegerField(label=_("Runde"), min_value=1, max_value=MAX_ROUNDS)
    table = forms.IntegerField(label=_("Tisch"), min_value=1, max_value=MAX_TABLES, required=False,
                               help_text=_("Leer: Pause in dieser Runde."))
