from django.db import models
from django.utils.translation import gettext_lazy as _


class EventFormat(models.TextChoices):
    SPEED_DATING = "speed_dating", _("Speed-Dating-Kick-off")
    WORKSHOP = "workshop", _("Workshop")
    ROUNDTABLE = "roundtable", _("Innovationsstammtisch / Roundtable")
    CONFERENCE = "conference", _("Konferenz")
    BROKERAGE = "brokerage", _("Kooperationsbörse")
    EXCURSION = "excursion", _("Exkursion")
    OUTDOOR = "outdoor", _("Outdoor / Sport")
    ONLINE = "online", _("Online-Veranstaltung")
    EXHIBITION = "exhibition", _("Ausstellung / Maker Fair")


class EventStatus(models.TextChoices):
    DRAFT = "draft", _("Entwurf")
    PUBLISHED = "published", _("veröffentlicht")
    CLOSED = "closed", _("abgeschlossen")
    CANCELLED = "cancelled", _("abgesagt")


class EventAccess(models.TextChoices):
    OPEN = "open", _("offene Anmeldung")
    INVITATION = "invitation", _("nur auf Einladung")


class RegistrationStatus(models.TextChoices):
    INVITED = "invited", _("eingeladen")
    CONFIRMED = "confirmed", _("angemeldet")
    WAITLISTED = "waitlisted", _("auf der Warteliste")
    DECLINED = "declined", _("Einladung abgelehnt")
    CANCELLED = "cancelled", _("abgemeldet")


class QuestionKind(models.TextChoices):
    TEXT = "text", _("Freitext")
    CHOICE = "choice", _("Auswahl")


# Statuses that the public can see (a page per event, the calendar file).
PUBLIC_STATUSES = (EventStatus.PUBLISHED, EventStatus.CLOSED, EventStatus.CANCELLED)
# Registrations that hold a seat or wait for one; the others are history.
ACTIVE_REGISTRATION_STATUSES = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED,
                                RegistrationStatus.INVITED)


class SessionKind(models.TextChoices):
    TALK = "talk", _("Vortrag")
    WORKSHOP = "workshop", _("Workshop")
    PANEL = "panel", _("Podium")
    WORKING_GROUP = "working_group", _("Arbeitsgruppe")
    BREAK = "break", _("Pause")


class IdeaStatus(models.TextChoices):
    SUBMITTED = "submitted", _("eingereicht")
    CHANGES_REQUESTED = "changes", _("Änderungen erbeten")
    ACCEPTED = "accepted", _("angenommen")
    DECLINED = "declined", _("abgelehnt")


class WallModeration(models.TextChoices):
    BEFORE = "before", _("vorher: Beiträge erscheinen erst nach Freigabe")
    AFTER = "after", _("nachher: Beiträge erscheinen sofort, das Team kann sie ausblenden")


class WallPostStatus(models.TextChoices):
    PENDING = "pending", _("wartet auf Freigabe")
    APPROVED = "approved", _("sichtbar")
    HIDDEN = "hidden", _("ausgeblendet")


class CandidateStatus(models.TextChoices):
    PROPOSED = "proposed", _("vorgeschlagen")
    INVITED = "invited", _("eingeladen")
