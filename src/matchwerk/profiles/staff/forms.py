"""Forms of the staff back office: filters, topics, regions, import upload, export."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.importing import MAX_FILE_BYTES
from matchwerk.profiles.models import Region, Topic
from matchwerk.profiles.staff.selectors import regions_for_filter

YES_NO = [("", _("alle")), ("ja", _("ja")), ("nein", _("nein"))]


class ScopedFilterForm(forms.Form):
    """A list filter whose region choices are the staff member's regions."""

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["region"].queryset = regions_for_filter(user=user)


class OrganisationFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("Name, Schlüssel oder Ort"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    art = forms.ChoiceField(label=_("Art"), required=False, choices=[("", _("alle")), *OrganisationKind.choices])
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.all(),
                                    empty_label=_("alle"))
    verzeichnis = forms.ChoiceField(label=_("Im Verzeichnis"), required=False, choices=YES_NO)
    matching = forms.ChoiceField(label=_("Matching freigegeben"), required=False, choices=YES_NO)


class PersonFilterForm(ScopedFilterForm):
    q = forms.CharField(label=_("Name, E-Mail oder Organisation"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.all(),
                                    empty_label=_("alle"))


class TopicForm(forms.ModelForm):
    class Meta:
        model = Topic
        fields = ["name_de", "name_en", "slug"]
        help_texts = {"slug": _("Kurzname für Adressen und Dateien: Kleinbuchstaben, Ziffern, Bindestriche.")}


class RegionForm(forms.ModelForm):
    coordinators = forms.ModelMultipleChoiceField(
        label=_("Netzwerkkoordination"), required=False, widget=forms.CheckboxSelectMultiple,
        queryset=User.objects.filter(role__in=[Role.COORDINATOR, Role.ADMIN], is_active=True).order_by("full_name"))

    class Meta:
        model = Region
        fields = ["name", "slug", "kind", "state", "latitude", "longitude", "coordinators"]
        help_texts = {"latitude": _("Mittelpunkt der Region, z. B. 51.05"),
                      "longitude": _("Mittelpunkt der Region, z. B. 13.74")}

    def clean_latitude(self):
        value = self.cleaned_data["latitude"]
        if not -90 <= value <= 90:
            raise forms.ValidationError(_("Der Breitengrad muss zwischen -90 und 90 liegen."))
        return value

    def clean_longitude(self):
        value = self.cleaned_data["longitude"]
        if not -180 <= value <= 180:
            raise forms.ValidationError(_("Der Längengrad muss zwischen -180 und 180 liegen."))
        return value


class ImportUploadForm(forms.Form):
    file = forms.FileField(label=_("Tabelle (.xlsx oder .csv)"),
                           help_text=_("Höchstens 10 MB und 20.000 Zeilen. Die Daten werden erst nach Ihrer "
                                       "Bestätigung in der Vorschau gespeichert."),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv,text/csv"}))

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_FILE_BYTES:
            raise forms.ValidationError(_("Die Datei ist größer als 10 MB. Bitte teilen Sie sie in mehrere Dateien "
                                          "auf."))
        return upload


class ExportForm(forms.Form):
    format = forms.ChoiceField(label=_("Format"), choices=[("xlsx", _("Excel (.xlsx)")), ("csv", _("CSV"))],
                               widget=forms.RadioSelect, initial="xlsx")
    umfang = forms.ChoiceField(
        label=_("Umfang"), widget=forms.RadioSelect, initial="verzeichnis",
        choices=[("verzeichnis", _("Verzeichnis: nur sichtbare Organisationen")),
                 ("alle", _("Alle Organisationen (auch nicht sichtbare)"))])
