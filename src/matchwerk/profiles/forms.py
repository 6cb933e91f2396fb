"""Forms for organisation profiles, their people, needs and offers.

The back office imports ``OrganisationForm``, ``NeedForm``, ``OfferForm`` and
``PersonForm``; keep these names.
"""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic
from matchwerk.profiles.services import LOGO_TYPES, logo_by_content

# Image formats accepted for logos (as Pillow names them); no SVG (scripts inside).
LOGO_FORMATS = set(LOGO_TYPES)

CONSENT_DIRECTORY_HELP = _(
    "Name, Art, Region, Ort, Website, Logo, Beschreibung, Themen, Bedarfe und Angebote Ihrer "
    "Organisation erscheinen im öffentlichen Verzeichnis. Namen und Kontaktdaten von Personen "
    "werden dort nie gezeigt. Sie können die Einwilligung jederzeit hier widerrufen."
)
CONSENT_MATCHING_HELP = _(
    "Das Matching-Team des Netzwerks darf Ihr Profil mit anderen Organisationen vergleichen und "
    "Ihnen passende Partner vorschlagen; Ihr Profil kann dabei anderen Organisationen als Vorschlag "
    "gezeigt werden. Ein Kontakt entsteht erst, wenn beide Seiten zustimmen. Widerruf jederzeit möglich."
)


class TopicChoiceField(forms.ModelMultipleChoiceField):
    """Topics as a list of checkboxes (keyboard-friendly), labelled in the UI language."""

    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs):
        kwargs.setdefault("queryset", Topic.objects.all())
        kwargs.setdefault("required", False)
        kwargs.setdefault("label", _("Themen"))
        super().__init__(**kwargs)

    def label_from_instance(self, obj: Topic) -> str:
        return obj.label


class OrganisationForm(forms.ModelForm):
    """The organisation's public profile. With ``with_consents=True`` it also asks for the
    two organisation consents (directory listing, matching suggestions)."""

    topics = TopicChoiceField()
    website = forms.URLField(label=_("Website"), required=False, assume_scheme="https", max_length=200,
                             help_text=_("z. B. https://www.beispiel.de"))

    class Meta:
        model = Organisation
        fields = ["name", "kind", "region", "town", "website", "size", "founded", "about", "logo", "topics"]
        widgets = {
            "about": forms.Textarea(attrs={"rows": 6}),
            "logo": forms.ClearableFileInput(attrs={"accept": "image/png,image/jpeg,image/webp,image/gif"}),
        }
        help_texts = {
            "about": _("Wer Sie sind und was Sie tun – wird im Verzeichnis gezeigt, wenn Sie zustimmen."),
        }

    def __init__(self, *args, with_consents: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = OrganisationKind.choices
        self.fields["region"].queryset = Region.objects.order_by("name")
        self.fields["founded"].widget.attrs.update(min=1000, max=timezone.now().year + 1)
        self.fields["logo"].help_text = _("PNG, JPEG, WebP oder GIF, höchstens %(size)s.") % {
            "size": filesizeformat(settings.LOGO_MAX_BYTES)}
        self.with_consents = with_consents
        if with_consents:
            instance = self.instance if self.instance.pk else None
            self.fields["consent_directory"] = forms.BooleanField(
                label=_("Ja, unsere Organisation darf im Verzeichnis erscheinen."),
                help_text=CONSENT_DIRECTORY_HELP, required=False,
                initial=instance.listed_in_directory if instance else False)
            self.fields["consent_matching"] = forms.BooleanField(
                label=_("Ja, unser Profil darf für Matching-Vorschläge verwendet werden."),
                help_text=CONSENT_MATCHING_HELP, required=False,
                initial=instance.open_for_matching if instance else False)

    def clean_founded(self):
        founded = self.cleaned_data.get("founded")
        if founded is not None and not 1000 <= founded <= timezone.now().year + 1:
            raise forms.ValidationError(_("Bitte geben Sie ein Gründungsjahr als vierstellige Jahreszahl an."),
                                        code="founded")
        return founded

    def clean_logo(self):
        logo = self.cleaned_data.get("logo")
        # An unchanged logo is the stored FieldFile; only new uploads carry ``image``.
        if not logo or not hasattr(logo, "image"):
            return logo
        if logo.size > settings.LOGO_MAX_BYTES:
            raise forms.ValidationError(
                _("Das Logo ist zu groß (höchstens %(size)s)."),
                params={"size": filesizeformat(settings.LOGO_MAX_BYTES)}, code="logo_too_large")
        if (logo.image.format or "").upper() not in LOGO_FORMATS:
            raise forms.ValidationError(_("Bitte laden Sie ein Bild im Format PNG, JPEG, WebP oder GIF hoch."),
                                        code="logo_format")
        return logo_by_content(logo)

    def profile_data(self) -> dict:
        """The cleaned model fields (without topics and consents) for the services."""
        return {name: self.cleaned_data[name] for name in self.Meta.fields if name != "topics"}


class StatementForm(forms.ModelForm):
    topics = TopicChoiceField()

    class Meta:
        fields = ["title", "description", "topics"]
        widgets = {"description": forms.Textarea(attrs={"rows": 5})}


class NeedForm(StatementForm):
    class Meta(StatementForm.Meta):
        model = Need
        help_texts = {"title": _("Welche Herausforderung möchten Sie lösen?")}


class OfferForm(StatementForm):
    class Meta(StatementForm.Meta):
        model = Offer
        help_texts = {"title": _("Welche Kompetenz bringen Sie ein?")}


class PersonForm(forms.ModelForm):
    """A person of an organisation. An account is never linked by typing its address: with
    "invite" the person gets a mail, logs in (or signs up) and confirms herself."""

    invite = forms.BooleanField(
        label=_("Einladung senden, damit die Person ihr Matchwerk-Konto verknüpft"), required=False,
        help_text=_("Die Person bekommt eine E-Mail mit einem Link. Erst wenn sie sich damit anmeldet (oder "
                    "registriert) und bestätigt, kann sie für Ihre Organisation handeln (bei „darf das Profil "
                    "bearbeiten“ auch das Profil ändern)."))
    keep_link = forms.BooleanField(label=_("Mit dem Konto verknüpft lassen"), required=False, initial=True)

    class Meta:
        model = Person
        fields = ["name", "email", "phone", "position", "is_contact", "can_edit"]
        widgets = {"phone": forms.TextInput(attrs={"type": "tel", "autocomplete": "tel"})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and self.instance.user_id:
            del self.fields["invite"]
        else:
            del self.fields["keep_link"]
            if self.instance.pk and self.instance.invited_at:
                self.fields["invite"].label = _("Einladung erneut senden")

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("invite") and not cleaned.get("email"):
            self.add_error("email", _("Für eine Einladung wird die E-Mail-Adresse gebraucht."))
        return cleaned

    def person_data(self) -> dict:
        return {name: self.cleaned_data[name] for name in self.Meta.fields}

    def link_data(self) -> dict:
        """``invite`` / ``keep_link`` for the services, as far as the form has them."""
        return {name: self.cleaned_data[name] for name in ("invite", "keep_link") if name in self.fields}


class DirectoryFilterForm(forms.Form):
    """The directory's GET filters; every field optional."""

    q = forms.CharField(label=_("Suche"), required=False, max_length=100,
                        widget=forms.TextInput(attrs={"type": "search"}))
    kind = forms.ChoiceField(label=_("Art"), required=False)
    region = forms.ModelChoiceField(label=_("Region"), required=False, queryset=Region.objects.order_by("name"),
                                    to_field_name="slug", empty_label=_("alle Regionen"))
    topic = forms.ModelChoiceField(label=_("Thema"), required=False, queryset=Topic.objects.all(),
                                   to_field_name="slug", empty_label=_("alle Themen"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", _("alle Arten")), *OrganisationKind.choices]
        self.fields["topic"].label_from_instance = lambda topic: topic.label
