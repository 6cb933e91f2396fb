"""Events: create, edit, copy ("same event next month"), publish, close, cancel."""

from __future__ import annotations

import calendar
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.events import rules
from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.models import CALENDAR_FIELDS, Event, Question

# The fields a form or a caller may set; topics and organisers are set separately.
EVENT_FIELDS = (
    "title", "format", "description", "venue_name", "venue_address", "venue_host", "online_url", "starts_at",
    "ends_at", "capacity", "region", "programme", "hashtag", "access", "registration_deadline", "cancellation_deadline",
    "wall_moderation",
)


def _check_fields(fields: dict) -> None:
    unknown = set(fields) - set(EVENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown event fields: {', '.join(sorted(unknown))}")


def _log(actor, verb: str, event: Event, data: dict | None = None) -> None:
    log_event(f"matchwerk.events.event.{verb}", event, data, actor=actor)


def event_create(*, actor, topics=(), organisers=(), **fields) -> Event:
    """A new draft event. Bad input (end before start, no seats, …) raises a
    ``ValidationError`` naming the field; nothing is saved then."""
    if not rules.can_manage_events(actor):
        raise PermissionDenied
    _check_fields(fields)
    if isinstance(fields.get("hashtag"), str):
        fields["hashtag"] = _normal_hashtag(fields["hashtag"])
    event = Event(created_by=actor, status=EventStatus.DRAFT, **fields)
    _check_scope(actor, event)
    event.full_clean()
    with transaction.atomic():
        event.save()
        event.topics.set(topics)
        event.organisers.set(list(organisers) or [actor])
        _log(actor, "created", event)
    return event


def _check_scope(actor, event: Event) -> None:
    """Staff place events only in their own regions or programmes (administrators anywhere)."""
    if not rules.can_create_event_for(actor, region_id=event.region_id, programme_id=event.programme_id):
        raise ValidationError({"region": _("Sie können Veranstaltungen nur in Ihren Regionen oder für Programme "
                                           "anlegen, in deren Team Sie sind. Bitte wählen Sie eine Ihrer Regionen "
                                           "oder eines Ihrer Programme.")})


def _normal_hashtag(value: str) -> str:
    value = value.strip()
    return f"#{value.lstrip('#')}" if value else ""


def event_update(*, actor, event: Event, topics=None, organisers=None, **fields) -> Event:
    """Edit an event. A change of time, place, title or link raises the calendar
    SEQUENCE and tells everyone registered (mail with the new ``.ics``); more seats move
    people up from the waiting list."""
    from matchwerk.events.services.registrations import promote_waiting_list
    from matchwerk.events.tasks import notify_event_changed

    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    _check_fields(fields)
    if isinstance(fields.get("hashtag"), str):
        fields["hashtag"] = _normal_hashtag(fields["hashtag"])
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status in (EventStatus.CLOSED, EventStatus.CANCELLED):
            raise ValidationError(_("Abgeschlossene oder abgesagte Veranstaltungen können nicht mehr bearbeitet "
                                    "werden."))
        before = {name: getattr(locked, name) for name in CALENDAR_FIELDS}
        scope_before = (locked.region_id, locked.programme_id)
        for name, value in fields.items():
            setattr(locked, name, value)
        if (locked.region_id, locked.programme_id) != scope_before:
            _check_scope(actor, locked)
        locked.full_clean()
        changed = [name for name in CALENDAR_FIELDS if getattr(locked, name) != before[name]]
        if changed:
            locked.sequence += 1
        locked.save()
        if topics is not None:
            locked.topics.set(topics)
        if organisers is not None:
            locked.organisers.set(organisers)
        if locked.status == EventStatus.PUBLISHED:  # a published event keeps its programme's rule
            problems = topic_rule_problems(locked)
            if problems:
                raise ValidationError(problems)
        promote_waiting_list(event=locked)
        _log(actor, "updated", locked, {"changed": sorted(changed)})
        if changed and locked.status == EventStatus.PUBLISHED:
            event_id = locked.pk
            transaction.on_commit(lambda: notify_event_changed.enqueue(event_id=event_id))
    event.refresh_from_db()
    return event


def _add_months(moment: datetime, months: int) -> datetime:
    """The same day-of-month ``months`` later (the 31st becomes the month's last day)."""
    local = timezone.localtime(moment)
    index = local.month - 1 + months
    year, month = local.year + index // 12, index % 12 + 1
    day = min(local.day, calendar.monthrange(year, month)[1])
    naive = local.replace(tzinfo=None, year=year, month=month, day=day)
    return timezone.make_aware(naive)


def shift_moment(moment: datetime | None, *, days: int) -> datetime | None:
    """``days`` later at the same wall-clock time (also across a daylight-saving change)."""
    if moment is None:
        return None
    return timezone.make_aware(timezone.localtime(moment).replace(tzinfo=None) + timedelta(days=days))


def copy_offset_days(start: datetime, *, months: int = 0, days: int = 0) -> int:
    """Days between ``start`` and the copy's start: the same day-of-month ``months``
    later (the 31st becomes the month's last day), plus ``days``. Every date of the event
    moves by this many days, so durations and deadlines keep their distance."""
    shifted = _add_months(start, months) if months else start
    return (timezone.localtime(shifted).date() - timezone.localtime(start).date()).days + days


def event_copy(*, actor, event: Event, months: int = 0, days: int = 0) -> Event:
    """A draft copy with all dates shifted ("same event next month": ``months=1``);
    topics, organisers and extra questions are copied, registrations are not."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    if not months and not days:
        raise ValidationError(_("Bitte geben Sie an, um wie viel die Kopie verschoben wird."))
    fields = {name: getattr(event, name) for name in EVENT_FIELDS}
    offset = copy_offset_days(event.starts_at, months=months, days=days)
    for name in ("starts_at", "ends_at", "registration_deadline", "cancellation_deadline"):
        fields[name] = shift_moment(fields[name], days=offset)
    copy = Event(created_by=actor, status=EventStatus.DRAFT, copied_from=event, series_id=event.series_id, **fields)
    copy.full_clean()
    with transaction.atomic():
        copy.save()
        copy.topics.set(event.topics.all())
        copy.organisers.set(event.organisers.all())
        Question.objects.bulk_create([
            Question(event=copy, label=q.label, kind=q.kind, choices=q.choices, required=q.required,
                     position=q.position) for q in event.questions.all()])
        _log(actor, "copied", copy, {"from": event.pk})
    return copy


def topic_rule_problems(event: Event) -> list[str]:
    """The programme's rule: every topic it requires must be among the event's topics."""
    if event.programme_id is None:
        return []
    have = set(event.topics.values_list("pk", flat=True))
    missing = [topic for topic in event.programme.required_topics.order_by("name_de") if topic.pk not in have]
    if not missing:
        return []
    return [_("Das Programm „%(programme)s“ verlangt für seine Veranstaltungen das Thema %(topics)s. Bitte ergänzen "
              "Sie es unter „Themen“ (oder wählen Sie ein anderes Programm).")
            % {"programme": event.programme.name, "topics": ", ".join(f"„{topic.label}“" for topic in missing)}]


def publication_problems(event: Event) -> list[str]:
    """Why the event cannot be published yet (empty: it can). Each message names its rule."""
    problems = []
    try:
        event.full_clean()
    except ValidationError as error:
        problems.extend(error.messages)
    return problems + topic_rule_problems(event)


def event_publish(*, actor, event: Event) -> Event:
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.DRAFT:
            raise ValidationError(_("Nur Entwürfe können veröffentlicht werden."))
        problems = publication_problems(locked)
        if problems:
            raise ValidationError(problems)
        locked.status, locked.published_at = EventStatus.PUBLISHED, timezone.now()
        locked.save(update_fields=["status", "published_at", "updated_at"])
        _log(actor, "published", locked)
    event.refresh_from_db()
    return event


def event_close(*, actor, event: Event) -> Event:
    """After the event: registration and cancellation end; the page stays."""
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status != EventStatus.PUBLISHED:
            raise ValidationError(_("Nur veröffentlichte Veranstaltungen können abgeschlossen werden."))
        locked.status = EventStatus.CLOSED
        locked.save(update_fields=["status", "updated_at"])
        _log(actor, "closed", locked)
    event.refresh_from_db()
    return event


def event_cancel(*, actor, event: Event, reason: str = "") -> Event:
    """Call the event off: everyone registered or waiting gets a mail with the calendar
    entry marked CANCELLED (same UID, higher SEQUENCE)."""
    from matchwerk.events.tasks import notify_event_cancelled

    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.status not in (EventStatus.DRAFT, EventStatus.PUBLISHED):
            raise ValidationError(_("Diese Veranstaltung ist bereits abgeschlossen oder abgesagt."))
        was_published = locked.status == EventStatus.PUBLISHED
        locked.status = EventStatus.CANCELLED
        locked.sequence += 1
        locked.save(update_fields=["status", "sequence", "updated_at"])
        _log(actor, "cancelled", locked, {"reason": reason.strip()[:200]})
        if was_published and locked.registrations.filter(
                status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED]).exists():
            event_id, text = locked.pk, reason.strip()
            transaction.on_commit(lambda: notify_event_cancelled.enqueue(event_id=event_id, reason=text))
    event.refresh_from_db()
    return event


def question_add(*, actor, event: Event, label: str, kind: str, choices: str = "", required: bool = False) -> Question:
    if not rules.can_edit_event(actor, event):
        raise PermissionDenied
    position = (event.questions.order_by("-position").values_list("position", flat=True).first() or 0) + 1
    question = Question(event=event, label=label.strip(), kind=kind, choices=choices.strip(), required=required,
                        position=position)
    question.full_clean()
    question.save()
    return question


def question_delete(*, actor, question: Question) -> None:
    if not rules.can_edit_event(actor, question.event):
        raise PermissionDenied
    question.delete()
