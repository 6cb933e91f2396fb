"""The Django administration for accounts: e-mail based forms, throttled admin login."""

from __future__ import annotations

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.forms import LoginForm
from matchwerk.accounts.models import LoginFailure, User


class EmailUserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email", "full_name", "role")


class EmailUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = EmailUserChangeForm
    add_form = EmailUserCreationForm
    ordering = ("email",)
    list_display = ("email", "full_name", "role", "email_confirmed_at", "is_active", "is_staff")
    list_filter = ("role", "is_active", "is_staff", "is_superuser")
    search_fields = ("email", "full_name")
    readonly_fields = ("last_login", "date_joined")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("full_name", "language", "email_confirmed_at")}),
        (_("Rolle und Rechte"), {"fields": ("role", "is_active", "is_staff", "is_superuser", "groups",
                                            "user_permissions")}),
        (_("Zeitpunkte"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"classes": ("wide",), "fields": ("email", "full_name", "role", "usable_password",
                                                 "password1", "password2")}),
    )


@admin.register(LoginFailure)
class LoginFailureAdmin(admin.ModelAdmin):
    list_display = ("at", "email", "ip")
    search_fields = ("email", "ip")
    readonly_fields = ("email", "ip", "at")

    def has_add_permission(self, request):
        return False


class ThrottledAdminAuthenticationForm(LoginForm, AdminAuthenticationForm):
    """The admin login obeys the same throttle as the site login."""

    error_messages = {**AdminAuthenticationForm.error_messages, **LoginForm.error_messages}


admin.site.login_form = ThrottledAdminAuthenticationForm
