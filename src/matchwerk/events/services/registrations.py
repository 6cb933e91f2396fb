"""Registrations: register (open events), invite / accept / decline, cancel, walk-ins,
and the waiting list that moves up by itself.

Seats are counted under a row lock on the event (``select_for_update`` in one
transaction), and a person has at most one row per event (unique constraints), so two
concurrent requests can neither register the same person twice nor fill more seats than
the event has (tested on PostgreSQL with threads).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.api.webhooks import registration_emit
from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import EventAccess, EventStatus, QuestionKind, RegistrationStatus
from matchwerk.events.models import Event, Registration

HOLDING = (RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED)


def _locked_event(event: Event) -> Event:
    return Event.objects.select_for_update().get(pk=event.pk)


def confirmed_count(event: Event) -> int:
    return event.registrations.filter(status=RegistrationStatus.CONFIRMED).count()


def _seat_status(event: Event) -> str:
    """Confirmed while seats are free, else the waiting list (event row locked)."""
    return RegistrationStatus.CONFIRMED if confirmed_count(event) < event.capacity else RegistrationStatus.WAITLISTED


def _set_status(registration: Registration, status: str) -> None:
    registration.status, registration.status_changed_at = status, timezone.now()


def _notify(registration: Registration, kind: str) -> None:
    from matchwerk.events.tasks import notify_registration

    registration_id = registration.pk
    transaction.on_commit(lambda: notify_registration.enqueue(registration_id=registration_id, kind=kind))


def clean_answers(event: Event, answers: dict | None) -> dict:
    """Answers to the event's extra questions, keyed by question id (as text)."""
    answers = answers or {}
    cleaned, errors = {}, []
    for question in event.questions.all():
        value = str(answers.get(str(question.pk), answers.get(question.pk, "")) or "").strip()
        if question.kind == QuestionKind.CHOICE and value and value not in question.choice_list:
            errors.append(_("„%(question)s“: bitte eine der angebotenen Möglichkeiten wählen.")
                          % {"question": question.label})
        elif question.required and not value:
            errors.append(_("„%(question)s“ ist eine Pflichtfrage.") % {"question": question.label})
        elif len(value) > 1000:
            errors.append(_("„%(question)s“: höchstens 1000 Zeichen.") % {"question": question.label})
        if value:
            cleaned[str(question.pk)] = value
    if errors:
        raise ValidationError(errors)
    return cleaned


def _check_open_for_registration(event: Event) -> None:
    if event.status != EventStatus.PUBLISHED:
        raise ValidationError(_("Für diese Veranstaltung ist keine Anmeldung möglich."))
    if timezone.now() >= event.registration_closes_at:
        raise ValidationError(_("Der Anmeldeschluss ist vorbei."))


def _check_organisation(actor, organisation) -> None:
    if not rules.can_register_for_organisation(actor, organisation):
        raise ValidationError(_("Sie können sich nur für eine Organisation anmelden, zu der Sie gehören."))


def registration_create(*, actor, event: Event, organisation=None, answers: dict | None = None) -> Registration:
    """The signed-in person registers for an open event (for an organisation they belong
    to, optionally): a seat if one is free, else the waiting list."""
    if not rules.can_register_for_event(actor, event):
        raise PermissionDenied
    if actor.email_confirmed_at is None:
        raise ValidationError(_("Bitte bestätigen Sie zuerst Ihre E-Mail-Adresse."))
    _check_organisation(actor, organisation)
    cleaned = clean_answers(event, answers)
    try:
        with transaction.atomic():
            event = _locked_event(event)
            _check_open_for_registration(event)
            registration = Registration.objects.filter(event=event, user=actor).first()
            if registration is not None and registration.status in HOLDING:
                raise ValidationError(_("Sie sind für diese Veranstaltung bereits angemeldet."))
            if event.access == EventAccess.INVITATION and (
                    registration is None or registration.status != RegistrationStatus.INVITED):
                raise ValidationError(_("An dieser Veranstaltung nimmt man nur auf Einladung teil."))
            registration = registration or Registration(event=event, user=actor)
            registration.name, registration.email = actor.get_full_name(), actor.email.lower()
            registration.organisation, registration.answers = organisation, cleaned
            registration.registered_by = actor
            _set_status(registration, _seat_status(event))
            registration.full_clean(validate_unique=False, validate_constraints=False)
            registration.save()
            _notify(registration, "confirmed" if registration.status == RegistrationStatus.CONFIRMED
                    else "waitlisted")
            registration_emit("registration.created", registration)
    except IntegrityError:  # a concurrent request registered the same person first
        raise ValidationError(_("Sie sind für diese Veranstaltung bereits angemeldet.")) from None
    return registration


def registration_invite(*, actor, event: Event, user, organisation=None) -> Registration:
    """Staff invite a person with an account; the invitation holds no seat until accepted."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if event.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
        raise ValidationError(_("Zu dieser Veranstaltung kann niemand mehr eingeladen werden."))
    with transaction.atomic():
        event = _locked_event(event)
        registration = Registration.objects.filter(event=event, user=user).first() \
            or Registration.objects.filter(event=event, email=user.email.lower()).first()
        if registration is not None and registration.status in (*HOLDING, RegistrationStatus.INVITED):
            raise ValidationError(_("%(name)s ist bereits eingeladen oder angemeldet.") % {"name": user})
        registration = registration or Registration(event=event)
        registration.user, registration.name, registration.email = user, user.get_full_name(), user.email.lower()
        registration.organisation, registration.registered_by = organisation, actor
        _set_status(registration, RegistrationStatus.INVITED)
        registration.full_clean(validate_unique=False, validate_constraints=False)
        registration.save()
        log_event("matchwerk.events.registration.invited", registration, actor=actor)
        if event.status == EventStatus.PUBLISHED:
            _notify(registration, "invited")
    return registration


def registration_respond(*, actor, registration: Registration, accept: bool, organisation=None,
                         answers: dict | None = None) -> Registration:
    """The invited person accepts (a seat, or the waiting list when full) or declines."""
    if not rules.can_change_registration(actor, registration):
        raise PermissionDenied
    if accept:
        _check_organisation(actor, organisation)
        cleaned = clean_answers(registration.event, answers)
    with transaction.atomic():
        event = _locked_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status != RegistrationStatus.INVITED:
            raise ValidationError(_("Diese Einladung ist bereits beantwortet."))
        if not accept:
            _set_status(registration, RegistrationStatus.DECLINED)
            registration.save(update_fields=["status", "status_changed_at"])
            return registration
        _check_open_for_registration(event)
        registration.organisation = organisation or registration.organisation
        registration.answers = cleaned
        _set_status(registration, _seat_status(event))
        registration.save()
        _notify(registration, "confirmed" if registration.status == RegistrationStatus.CONFIRMED else "waitlisted")
    return registration


def promote_waiting_list(*, event: Event) -> list[Registration]:
    """Move people up from the waiting list, first come first served, while seats are
    free; each gets a mail with the calendar entry. Call with the event row locked."""
    free = event.capacity - confirmed_count(event)
    if free <= 0 or event.status != EventStatus.PUBLISHED:
        return []
    moved = list(event.registrations.select_for_update().filter(status=RegistrationStatus.WAITLISTED)
                 .order_by("status_changed_at", "pk")[:free])
    for registration in moved:
        _set_status(registration, RegistrationStatus.CONFIRMED)
        registration.save(update_fields=["status", "status_changed_at"])
        _notify(registration, "moved_up")
    return moved


def registration_cancel(*, actor, registration: Registration) -> Registration:
    """The person cancels (until the event's cancellation deadline) or staff cancel for
    them (any time); a freed seat goes to the first person on the waiting list."""
    if not rules.can_change_registration(actor, registration):
        raise PermissionDenied
    is_staff = rules.can_edit_event(actor, registration.event)
    with transaction.atomic():
        event = _locked_event(registration.event)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in HOLDING:
            raise ValidationError(_("Diese Anmeldung ist nicht (mehr) aktiv."))
        if not is_staff and timezone.now() >= event.cancellation_closes_at:
            raise ValidationError(_("Die Frist für die Abmeldung ist abgelaufen. Bitte wenden Sie sich an das "
                                    "Organisationsteam."))
        if event.status not in (EventStatus.PUBLISHED, EventStatus.DRAFT):
            raise ValidationError(_("Diese Veranstaltung ist abgeschlossen oder abgesagt."))
        _set_status(registration, RegistrationStatus.CANCELLED)
        registration.save(update_fields=["status", "status_changed_at"])
        registration_emit("registration.cancelled", registration)
        if is_staff and actor.pk != registration.user_id:
            log_event("matchwerk.events.registration.cancelled", registration, actor=actor)
        promote_waiting_list(event=event)
    return registration


def registration_walk_in(*, actor, event: Event, name: str, email: str, organisation_name: str = "",
                         allow_overbooking: bool = False) -> Registration:
    """Staff register someone at the door; an existing account with that address is
    linked. A full event refuses unless staff explicitly allow overbooking."""
    from matchwerk.accounts.models import User

    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    name, email = name.strip(), email.strip().lower()
    if not name or not email:
        raise ValidationError(_("Name und E-Mail-Adresse werden gebraucht."))
    with transaction.atomic():
        event = _locked_event(event)
        if event.status != EventStatus.PUBLISHED:
            raise ValidationError(_("Vor-Ort-Anmeldungen gibt es nur bei veröffentlichten Veranstaltungen."))
        user = User.objects.filter(email__iexact=email).first()
        registration = Registration.objects.filter(event=event, email=email).first()
        if registration is None and user is not None:
            registration = Registration.objects.filter(event=event, user=user).first()
        if registration is not None and registration.status == RegistrationStatus.CONFIRMED:
            raise ValidationError(_("%(name)s ist bereits angemeldet.") % {"name": registration.name})
        if confirmed_count(event) >= event.capacity and not allow_overbooking:
            raise ValidationError(_("Die Veranstaltung ist ausgebucht. Wählen Sie „trotzdem anmelden“, wenn der "
                                    "Platz vor Ort reicht."))
        registration = registration or Registration(event=event)
        registration.user = registration.user or user
        registration.name, registration.email, registration.organisation_name = name, email, organisation_name.strip()
        registration.walk_in, registration.registered_by = True, actor
        registration.checked_in_at, registration.checked_in_by = timezone.now(), actor  # they are at the door
        _set_status(registration, RegistrationStatus.CONFIRMED)
        registration.full_clean(validate_unique=False, validate_constraints=False)
        registration.save()
        log_event("matchwerk.events.registration.walked_in", registration, actor=actor)
    return registration



def registrations_anonymise(*, user) -> int:
    """Strip a person's registrations of everything personal (GDPR erasure); the rows stay
    for the events' counts. Returns how many were anonymised."""
    from matchwerk.accounts.services import ERASED_PERSON_NAME

    registrations = Registration.objects.filter(user=user)
    if user.email_confirmed_at is not None:
        registrations = registrations | Registration.objects.filter(email__iexact=user.email)
    changed = 0
    for registration in registrations:
        registration.user, registration.name, registration.organisation_name = None, ERASED_PERSON_NAME, ""
        registration.email, registration.answers = f"geloescht-{registration.pk}@erased.invalid", {}
        registration.save(update_fields=["user", "name", "email", "organisation_name", "answers"])
        changed += 1
    return changed


def registration_move(*, actor, registration: Registration, to_event: Event, allow_overbooking: bool = False
                      ) -> Registration:
    """Staff move a person to another event (e.g. the same workshop next month): a seat
    there if one is free (or the waiting list), the old place is freed and goes to that
    event's waiting list. Answers to extra questions are not carried over."""
    if not (rules.can_edit_event(actor, registration.event) and rules.can_edit_event(actor, to_event)):
        raise PermissionDenied
    if to_event.pk == registration.event_id:
        raise ValidationError(_("Bitte wählen Sie eine andere Veranstaltung."))
    with transaction.atomic():
        # Both events locked, always in the same order, so two moves cannot deadlock.
        locked = {event.pk: event for event in Event.objects.select_for_update().filter(
            pk__in=[registration.event_id, to_event.pk]).order_by("pk")}
        source, target = locked[registration.event_id], locked[to_event.pk]
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status not in HOLDING:
            raise ValidationError(_("Diese Anmeldung ist nicht (mehr) aktiv."))
        if target.status != EventStatus.PUBLISHED:
            raise ValidationError(_("Verschieben geht nur in eine veröffentlichte Veranstaltung."))
        existing = Registration.objects.filter(event=target, email=registration.email).first() or (
            Registration.objects.filter(event=target, user_id=registration.user_id).first()
            if registration.user_id else None)
        if existing is not None and existing.status in HOLDING:
            raise ValidationError(_("%(name)s ist dort bereits angemeldet.") % {"name": registration.name})
        moved = existing or Registration(event=target)
        moved.user_id, moved.name, moved.email = registration.user_id, registration.name, registration.email
        moved.organisation_id, moved.organisation_name = registration.organisation_id, registration.organisation_name
        moved.registered_by, moved.answers = actor, {}
        full = confirmed_count(target) >= target.capacity
        _set_status(moved, RegistrationStatus.WAITLISTED if full and not allow_overbooking
                    else RegistrationStatus.CONFIRMED)
        _set_status(registration, RegistrationStatus.CANCELLED)
        registration.save(update_fields=["status", "status_changed_at"])
        moved.full_clean(validate_unique=False, validate_constraints=False)
        moved.save()
        promote_waiting_list(event=source)
        log_event("matchwerk.events.registration.moved", moved, {"from_event": source.pk}, actor=actor)
        _notify(moved, "confirmed" if moved.status == RegistrationStatus.CONFIRMED else "waitlisted")
    return moved
