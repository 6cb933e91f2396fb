from django.urls import path

from matchwerk.accounts import privacy_views, views
from matchwerk.accounts.staff import views as staff_views

app_name = "accounts"
urlpatterns = [
    path("anmelden/", views.LoginView.as_view(), name="login"),
    path("abmelden/", views.LogoutView.as_view(), name="logout"),
    path("registrieren/", views.signup, name="signup"),
    path("registrieren/fast-geschafft/", views.signup_done, name="signup_done"),
    path("bestaetigen/<str:token>/", views.confirm_email, name="confirm_email"),
    path("bestaetigung-senden/", views.confirmation_resend, name="confirmation_resend"),
    path("passwort/aendern/", views.PasswordChangeView.as_view(), name="password_change"),
    path("passwort/vergessen/", views.PasswordResetView.as_view(), name="password_reset"),
    path("passwort/vergessen/gesendet/", views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("passwort/neu/<uidb64>/<token>/", views.PasswordResetConfirmView.as_view(), name="password_reset_confirm"),
    path("passwort/neu/fertig/", views.PasswordResetCompleteView.as_view(), name="password_reset_complete"),
    path("datenschutz/", views.privacy_notice, name="privacy_notice"),
    path("daten/", privacy_views.privacy, name="privacy"),
    path("daten/einwilligung/", privacy_views.consent_update, name="consent_update"),
    path("daten/konto/", privacy_views.settings_update, name="settings_update"),
    path("daten/export/", privacy_views.export, name="export"),
    path("daten/loeschen/", privacy_views.erase, name="erase"),
    path("verwaltung/", staff_views.user_list, name="user_list"),
    path("verwaltung/<int:pk>/", staff_views.user_edit, name="user_edit"),
]
