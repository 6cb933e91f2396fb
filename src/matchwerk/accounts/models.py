from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from matchwerk.accounts.enums import Role


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email: str, password: str | None, **extra):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email: str, password: str | None = None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email: str, password: str | None = None, **extra):
        extra.update(is_staff=True, is_superuser=True, role=Role.ADMIN)
        extra.setdefault("email_confirmed_at", timezone.now())
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with an e-mail address.

    ``role`` decides what the person may see and do beyond their own organisations;
    coordinators are assigned to regions (``Region.coordinators``).
    """

    email = models.EmailField(_("E-Mail-Adresse"), unique=True)
    full_name = models.CharField(_("Name"), max_length=150, blank=True)
    role = models.CharField(_("Rolle"), max_length=20, choices=Role.choices, default=Role.PARTICIPANT)
    language = models.CharField(_("Sprache"), max_length=8, default="de")
    is_active = models.BooleanField(_("aktiv"), default=True)
    is_staff = models.BooleanField(_("Zugang zur Django-Administration"), default=False)
    email_confirmed_at = models.DateTimeField(_("E-Mail bestätigt am"), null=True, blank=True)
    date_joined = models.DateTimeField(_("registriert am"), default=timezone.now)

    objects = UserManager()

    EMAIL_FIELD = "email"
    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("Konto")
        verbose_name_plural = _("Konten")
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    def get_full_name(self) -> str:
        return self.full_name or self.email

    def get_short_name(self) -> str:
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def is_network_staff(self) -> bool:
        """Coordinators, matching team and administrators: the network's staff."""
        return self.is_active and (self.is_superuser or self.role in {Role.COORDINATOR, Role.MATCHING_TEAM, Role.ADMIN})

    @property
    def is_admin(self) -> bool:
        return self.is_active and (self.is_superuser or self.role == Role.ADMIN)


class LoginFailure(models.Model):
    """One failed login attempt, kept only for the throttling window.

    E-mail address and client address are personal data: rows older than
    ``LOGIN_FAILURE_WINDOW`` are deleted at every login attempt, and a
    successful login deletes the rows for its e-mail address.
    """

    email = models.CharField(_("E-Mail-Adresse"), max_length=254, db_index=True)
    ip = models.CharField(_("Client-Adresse"), max_length=45, db_index=True)
    at = models.DateTimeField(_("Zeitpunkt"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("fehlgeschlagene Anmeldung")
        verbose_name_plural = _("fehlgeschlagene Anmeldungen")

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.email} {self.ip}"
