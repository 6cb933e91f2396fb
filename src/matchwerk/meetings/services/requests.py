"""Requests for 1:1 meetings (mutual opt-in), "no thanks", and availability.

A pair has at most one open (pending or accepted) request per direction (database
constraint); the reverse direction is checked under a row lock on both registrations
(taken in id order), so two people asking each other at the same moment get one request
and a clear message, never two. Answers change the status with a conditional update:
of two parallel accepts exactly one succeeds.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event, Registration
from matchwerk.meetings import rules
from matchwerk.meetings.enums import OPEN_REQUEST_STATUSES, Priority, RequestStatus
from matchwerk.meetings.models import MESSAGE_MAX_CHARS, Absence, Brokerage, Hidden, MeetingRequest, Slot


def own_registration(*, user, event: Event) -> Registration | None:
    """The user's confirmed registration for the event (their identity at its meetings)."""
    if not getattr(user, "is_authenticated", False):
        return None
    return Registration.objects.filter(event=event, user=user, status=RegistrationStatus.CONFIRMED).first()


def _brokerage(event: Event) -> Brokerage:
    brokerage = Brokerage.objects.filter(event=event).first()
    if brokerage is None:
        raise ValidationError(_("Für diese Veranstaltung gibt es keine Gesprächsbörse."))
    return brokerage


def _window_open(brokerage: Brokerage) -> None:
    now = timezone.now()
    if brokerage.requests_open_at and now < brokerage.requests_open_at:
        raise ValidationError(_("Anfragen sind ab %(when)s möglich.") % {
            "when": formats.date_format(timezone.localtime(brokerage.requests_open_at), "j.n.Y H:i")})
    if now > brokerage.requests_closes_at:
        raise ValidationError(_("Die Zeit für Anfragen ist vorbei."))


def _clean_text(message: str, priority) -> tuple[str, int]:
    message = (message or "").strip()
    if len(message) > MESSAGE_MAX_CHARS:
        raise ValidationError({"message": [_("Die Nachricht darf höchstens %(max)s Zeichen lang sein.")
                                           % {"max": MESSAGE_MAX_CHARS}]})
    try:
        priority = int(priority)
    except (TypeError, ValueError):
        priority = -1
    if priority not in Priority.values:
        raise ValidationError({"priority": [_("Bitte eine Priorität wählen.")]})
    return message, priority


def _mail(registration: Registration, template: str, context: dict) -> None:
    if not registration.email:
        return
    language = (registration.user.language if registration.user_id and registration.user else "") or ""
    event = registration.event
    url = settings.SITE_URL + reverse("meetings:home", args=[event.pk])
    mail_send(to=registration.email, template=f"meetings/mail/{template}", language=language,
              context={"event_title": event.title, "meetings_url": url, **context})


@transaction.atomic
def request_create(*, actor, event: Event, receiver: Registration, message: str = "",
                   priority: int = Priority.WOULD_LIKE) -> MeetingRequest:
    requester = own_registration(user=actor, event=event)
    if requester is None or not rules.can_take_part(actor, requester):
        raise PermissionDenied
    brokerage = _brokerage(event)
    _window_open(brokerage)
    message, priority = _clean_text(message, priority)
    if receiver.pk == requester.pk:
        raise ValidationError(_("Sie können kein Gespräch mit sich selbst anfragen."))
    if receiver.event_id != event.pk or receiver.status != RegistrationStatus.CONFIRMED or receiver.user_id is None:
        raise ValidationError(_("%(name)s nimmt nicht an dieser Veranstaltung teil.") % {"name": receiver.name})
    # Both rows locked in id order: the pair is checked and written by one request at a time.
    list(Registration.objects.select_for_update().filter(pk__in=[requester.pk, receiver.pk]).order_by("pk"))
    existing = MeetingRequest.objects.filter(
        Q(requester=requester, receiver=receiver) | Q(requester=receiver, receiver=requester),
        status__in=OPEN_REQUEST_STATUSES).first()
    if existing is not None:
        if existing.status == RequestStatus.ACCEPTED:
            raise ValidationError(_("Mit %(name)s ist bereits ein Gespräch vereinbart.") % {"name": receiver.name})
        if existing.requester_id == requester.pk:
            raise ValidationError(_("Sie haben %(name)s bereits angefragt.") % {"name": receiver.name})
        raise ValidationError(_("%(name)s hat Sie bereits angefragt: Sie können die Anfrage unter „Meine Anfragen“ "
                                "annehmen.") % {"name": receiver.name})
    try:
        with transaction.atomic():
            request = MeetingRequest.objects.create(event=event, requester=requester, receiver=receiver,
                                                    message=message, priority=priority)
    except IntegrityError:
        raise ValidationError(_("Sie haben %(name)s bereits angefragt.") % {"name": receiver.name}) from None
    log_event("matchwerk.meetings.request.created", request, {"priority": priority}, actor=actor)
    _mail(receiver, "request_received", {"name": requester.name, "message": message,
                                         "organisation": requester.organisation_label})
    return request


def _locked(request: MeetingRequest) -> MeetingRequest:
    return MeetingRequest.objects.select_for_update().select_related("requester", "receiver", "event").get(
        pk=request.pk)


@transaction.atomic
def request_update(*, actor, request: MeetingRequest, message: str, priority: int) -> MeetingRequest:
    """The requester changes message or priority while the request is open."""
    if not rules.can_change_request(actor, request):
        raise PermissionDenied
    request = _locked(request)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("Nur offene Anfragen lassen sich ändern."))
    request.message, request.priority = _clean_text(message, priority)
    request.save(update_fields=["message", "priority"])
    log_event("matchwerk.meetings.request.updated", request, {"priority": request.priority}, actor=actor)
    return request


@transaction.atomic
def request_withdraw(*, actor, request: MeetingRequest) -> MeetingRequest:
    if not rules.can_change_request(actor, request):
        raise PermissionDenied
    request = _locked(request)
    if request.status != RequestStatus.PENDING:
        raise ValidationError(_("Nur offene Anfragen lassen sich zurückziehen."))
    request.status, request.answered_at = RequestStatus.WITHDRAWN, timezone.now()
    request.save(update_fields=["status", "answered_at"])
    log_event("matchwerk.meetings.request.withdrawn", request, actor=actor)
    return request


@transaction.atomic
def request_answer(*, actor, request: MeetingRequest, accept: bool) -> MeetingRequest:
    """The receiver says yes (the meeting may be planned) or no."""
    if not rules.can_answer_request(actor, request):
        raise PermissionDenied
    status = RequestStatus.ACCEPTED if accept else RequestStatus.DECLINED
    now = timezone.now()
    changed = MeetingRequest.objects.filter(pk=request.pk, status=RequestStatus.PENDING).update(
        status=status, answered_at=now)
    if not changed:
        raise ValidationError(_("Diese Anfrage ist schon beantwortet oder zurückgezogen."))
    request.refresh_from_db()
    log_event(f"matchwerk.meetings.request.{'accepted' if accept else 'declined'}", request, actor=actor)
    _mail(request.requester, "request_accepted" if accept else "request_declined",
          {"name": request.receiver.name})
    return request


def person_hide(*, actor, registration: Registration, hidden: Registration) -> None:
    """"No thanks": ``hidden`` disappears from ``registration``'s suggestions and list."""
    if not rules.is_participant(actor, registration):
        raise PermissionDenied
    if hidden.event_id != registration.event_id or hidden.pk == registration.pk:
        raise ValidationError(_("Diese Person nimmt nicht an dieser Veranstaltung teil."))
    Hidden.objects.get_or_create(registration=registration, hidden=hidden)


@transaction.atomic
def availability_set(*, actor, registration: Registration, available: list[int]) -> int:
    """The slots the person can attend (ids); every other slot of the event is marked
    absent. Returns the number of available slots."""
    if not rules.is_participant(actor, registration):
        raise PermissionDenied
    brokerage = _brokerage(registration.event)
    slots = set(Slot.objects.filter(brokerage=brokerage).values_list("pk", flat=True))
    chosen = {int(pk) for pk in available}
    if not chosen <= slots:
        raise ValidationError(_("Diese Zeit gehört nicht zu dieser Veranstaltung."))
    Absence.objects.filter(registration=registration).delete()
    Absence.objects.bulk_create([Absence(registration=registration, slot_id=pk) for pk in sorted(slots - chosen)])
    return len(chosen)
