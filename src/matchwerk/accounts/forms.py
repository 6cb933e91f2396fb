"""Forms of the accounts app (labels and messages in German, the UI source language)."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm, PasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.enums import Role
from matchwerk.accounts.models import User
from matchwerk.accounts.throttle import (client_ip, login_attempt_begin, login_attempt_not_counted,
                                         login_failures_reset)
from matchwerk.core.mail import mail_send
from matchwerk.privacy.enums import ConsentPurpose
from matchwerk.profiles.models import Organisation, Region

THROTTLED = "throttled"


class SignupForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))
    password1 = forms.CharField(label=_("Passwort"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}),
                                help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, kein gängiges Passwort."))
    password2 = forms.CharField(label=_("Passwort wiederholen"), strip=False,
                                widget=forms.PasswordInput(attrs={"autocomplete": "new-password"}))
    newsletter = forms.BooleanField(label=_("Ich möchte den Newsletter des Netzwerks per E-Mail erhalten."),
                                    required=False)
    photos = forms.BooleanField(
        label=_("Fotos, auf denen ich bei Veranstaltungen zu sehen bin, dürfen veröffentlicht werden."),
        required=False)
    accept_privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen."),
        error_messages={"required": _("Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben.")})

    def clean(self):
        cleaned = super().clean()
        password1, password2 = cleaned.get("password1"), cleaned.get("password2")
        if password1 and password2 and password1 != password2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif password1:
            probe = User(email=cleaned.get("email") or "", full_name=cleaned.get("full_name") or "")
            try:
                password_validation.validate_password(password1, probe)
            except ValidationError as error:
                self.add_error("password1", error)
        return cleaned


class LoginForm(AuthenticationForm):
    """E-mail + password, refused while the e-mail address or the client is throttled."""

    error_messages = {
        "invalid_login": _("E-Mail-Adresse oder Passwort sind nicht korrekt. Bitte beachten Sie die "
                           "Groß- und Kleinschreibung beim Passwort."),
        "inactive": _("Dieses Konto ist gesperrt."),
        THROTTLED: _("Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie %(minutes)s Minuten und "
                     "versuchen Sie es dann erneut – oder setzen Sie Ihr Passwort zurück."),
    }

    def __init__(self, request=None, *args, **kwargs):
        super().__init__(request, *args, **kwargs)
        self.fields["username"].label = _("E-Mail-Adresse")
        self.fields["username"].widget.input_type = "email"
        self.fields["username"].widget.attrs["autocomplete"] = "email"

    @property
    def throttled(self) -> bool:
        return any(error.code == THROTTLED for error in self.errors.as_data().get("__all__", []))

    def clean(self):
        email = self.cleaned_data.get("username") or ""
        if not email or not self.cleaned_data.get("password"):
            return self.cleaned_data  # the field errors say what is missing; nothing is evaluated
        ip = client_ip(self.request)
        attempt = login_attempt_begin(email=email, ip=ip)  # counted before the password is checked
        if attempt is None:
            raise ValidationError(self.error_messages[THROTTLED], code=THROTTLED,
                                  params={"minutes": max(1, settings.LOGIN_FAILURE_WINDOW // 60)})
        try:
            cleaned = super().clean()
        except ValidationError as error:
            if getattr(error, "code", None) != "invalid_login":
                login_attempt_not_counted(attempt)
            raise
        login_failures_reset(email=email)
        return cleaned


class EmailPasswordResetForm(PasswordResetForm):
    """Django's password reset, with the mail rendered in the recipient's language
    and sent by a task."""

    email = forms.EmailField(label=_("E-Mail-Adresse"), max_length=254,
                             widget=forms.EmailInput(attrs={"autocomplete": "email"}))

    def send_mail(self, subject_template_name, email_template_name, context, from_email, to_email,
                  html_email_template_name=None):
        user = context["user"]
        mail_send(to=to_email, template="accounts/mail/password_reset", language=user.language,
                  context={"name": user.get_short_name(), "uid": context["uid"], "token": context["token"]})


class AccountSettingsForm(forms.Form):
    full_name = forms.CharField(label=_("Name"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "name"}))
    language = forms.ChoiceField(label=_("Sprache für E-Mails"), choices=settings.LANGUAGES)


class ConsentForm(forms.Form):
    purpose = forms.ChoiceField(choices=ConsentPurpose.choices)
    granted = forms.TypedChoiceField(choices=[("1", "1"), ("0", "0")], coerce=lambda v: v == "1")
    organisation = forms.ModelChoiceField(queryset=Organisation.objects.all(), required=False)


class EraseAccountForm(forms.Form):
    password = forms.CharField(label=_("Ihr Passwort"), strip=False,
                               widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}))
    confirm = forms.BooleanField(label=_("Ja, mein Konto soll endgültig gelöscht werden."),
                                 error_messages={"required": _("Bitte bestätigen Sie die Löschung.")})

    def __init__(self, *args, user: User, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user

    def clean_password(self):
        password = self.cleaned_data["password"]
        if not self.user.check_password(password):
            raise ValidationError(_("Das Passwort ist nicht korrekt."))
        return password


class UserRoleForm(forms.Form):
    role = forms.ChoiceField(label=_("Rolle"), choices=Role.choices)
    regions = forms.ModelMultipleChoiceField(
        label=_("Regionen (nur für die Netzwerkkoordination)"), queryset=Region.objects.order_by("name"),
        required=False, widget=forms.CheckboxSelectMultiple)
