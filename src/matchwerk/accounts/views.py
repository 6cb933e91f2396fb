"""Screens for signing up, confirming, logging in and managing passwords."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from matchwerk.accounts import services
from matchwerk.accounts.confirmation import ConfirmationInvalid, confirmation_token_user
from matchwerk.accounts.forms import EmailPasswordResetForm, LoginForm, SignupForm


def signup(request):
    if request.user.is_authenticated:
        return redirect("core:dashboard")
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        language = (translation.get_language() or "de").split("-")[0]
        services.user_signup(email=data["email"], password=data["password1"], full_name=data["full_name"],
                             language=language, newsletter=data["newsletter"], photos=data["photos"])
        # The same answer whether or not the address already had an account.
        request.session["signup_email"] = data["email"]
        return redirect("accounts:signup_done")
    return render(request, "accounts/signup.html", {"form": form})


def privacy_notice(request):
    return render(request, "accounts/privacy_notice.html", {"version": services.PRIVACY_NOTICE_VERSION})


def signup_done(request):
    return render(request, "accounts/signup_done.html", {"email": request.session.get("signup_email", "")})


def confirm_email(request, token: str):
    try:
        user = confirmation_token_user(token)
    except ConfirmationInvalid as error:
        return render(request, "accounts/confirm_invalid.html", {"reason": error.reason}, status=400)
    services.user_confirm_email(user=user)
    messages.success(request, _("Ihre E-Mail-Adresse ist bestätigt. Sie können jetzt Organisationen anlegen."))
    if request.user.is_authenticated and request.user.pk == user.pk:
        return redirect("core:dashboard")
    return redirect(f"{reverse('accounts:login')}")


@login_required
@require_POST
def confirmation_resend(request):
    if services.user_confirmation_resend(user=request.user):
        messages.success(request, _("Wir haben Ihnen einen neuen Bestätigungslink an %(email)s geschickt.")
                         % {"email": request.user.email})
    else:
        messages.info(request, _("Ihre E-Mail-Adresse ist bereits bestätigt."))
    return redirect("accounts:privacy")


class LoginView(auth_views.LoginView):
    form_class = LoginForm
    template_name = "accounts/login.html"
    redirect_authenticated_user = True

    def form_invalid(self, form):
        response = super().form_invalid(form)
        if form.throttled:
            response.status_code = 429
        return response

    def form_valid(self, form):
        response = super().form_valid(form)
        if self.request.user.email_confirmed_at is None:
            messages.warning(self.request, _(
                "Ihre E-Mail-Adresse ist noch nicht bestätigt. Bitte klicken Sie auf den Link in unserer "
                "E-Mail; erst danach können Sie Organisationen anlegen. Einen neuen Link können Sie unter "
                "„Meine Daten und Einwilligungen“ anfordern."))
        return response


class LogoutView(auth_views.LogoutView):
    """POST only (Django 5); redirects to ``LOGOUT_REDIRECT_URL``."""


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:privacy")

    def form_valid(self, form):
        messages.success(self.request, _("Ihr Passwort wurde geändert."))
        return super().form_valid(form)


class PasswordResetView(auth_views.PasswordResetView):
    form_class = EmailPasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/mail/password_reset_body.txt"
    subject_template_name = "accounts/mail/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")

    def form_valid(self, form):
        response = super().form_valid(form)
        # Following the link proves that the person reads the mailbox.
        services.user_confirm_email(user=form.user)
        return response


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"
