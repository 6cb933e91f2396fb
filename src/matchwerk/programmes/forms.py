"""Forms of the programmes' staff pages."""

from __future__ import annotations

from itertools import combinations_with_replacement

from django import forms
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Region
from matchwerk.programmes.models import PeerMaterial, PeerSession, Programme


def _pair_key(a: str, b: str) -> str:
    return "+".join(sorted((a, b)))


KIND_PAIR_CHOICES = [
    (_pair_key(a, b), f"{OrganisationKind(a).label} × {OrganisationKind(b).label}")
    for a, b in combinations_with_replacement(OrganisationKind.values, 2)
]


class ProgrammeForm(forms.ModelForm):
    """A programme with its rules and team; the coordinators per region are one field per
    region (``coordinators_<region id>``)."""

    pairs = forms.MultipleChoiceField(label=_("Paarungen nach Art"), choices=KIND_PAIR_CHOICES,
                                      widget=forms.CheckboxSelectMultiple,
                                      help_text=_("Welche Arten von Organisationen dieses Programm zusammenbringt."))

    class Meta:
        model = Programme
        fields = ["name", "slug", "description", "funder", "funding_reference", "starts_on", "ends_on", "budget",
                  "grant_per_match", "retention_months", "regions", "required_topics", "team", "is_active"]
        widgets = {"starts_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "ends_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "regions": forms.CheckboxSelectMultiple, "required_topics": forms.CheckboxSelectMultiple,
                   "team": forms.CheckboxSelectMultiple}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        staff = User.objects.filter(is_active=True, role__in=[Role.MATCHING_TEAM, Role.COORDINATOR, Role.ADMIN])
        self.fields["team"].queryset = staff.order_by("full_name", "email")
        self.fields["team"].label_from_instance = lambda user: f"{user.get_full_name()} ({user.email})"
        self.fields["pairs"].initial = [_pair_key(*pair) for pair in (self.instance.kind_pairs or [])]
        coordinators = User.objects.filter(is_active=True, role=Role.COORDINATOR).order_by("full_name", "email")
        current: dict[int, list[int]] = {}
        if self.instance.pk:
            for region_id, user_id in self.instance.coordinators.values_list("region_id", "user_id"):
                current.setdefault(region_id, []).append(user_id)
        self.coordinator_fields = []
        for region in Region.objects.order_by("name"):
            name = f"coordinators_{region.pk}"
            self.fields[name] = forms.ModelMultipleChoiceField(
                label=_("Koordination in %(region)s") % {"region": region.name}, queryset=coordinators,
                required=False, initial=current.get(region.pk, []), widget=forms.SelectMultiple(attrs={"size": 3}))
            self.fields[name].label_from_instance = lambda user: user.get_full_name() or user.email
            self.coordinator_fields.append((region, name))

    def clean_pairs(self) -> list[list[str]]:
        pairs = [key.split("+") for key in self.cleaned_data["pairs"]]
        if not pairs:
            raise forms.ValidationError(_("Bitte mindestens eine Paarung wählen."))
        return pairs

    def coordinators_by_region(self) -> dict[int, list]:
        return {region.pk: list(self.cleaned_data.get(name) or []) for region, name in self.coordinator_fields}


class PeerSessionForm(forms.ModelForm):
    online_url = forms.URLField(label=_("Online-Link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = PeerSession
        fields = ["title", "starts_at", "ends_at", "online_url", "place", "notes"]
        widgets = {"starts_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
                   "ends_at": forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")}


class PeerMaterialForm(forms.ModelForm):
    url = forms.URLField(label=_("Link"), required=False, max_length=500, assume_scheme="https")

    class Meta:
        model = PeerMaterial
        fields = ["title", "url", "file"]

    def clean(self):
        data = super().clean()
        if not data.get("url") and not data.get("file"):
            raise forms.ValidationError(_("Bitte einen Link oder eine Datei angeben."))
        return data
