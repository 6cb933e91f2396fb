"""Event ideas: submit, revise, and the staff's decision (accept → a draft event made from
the idea; ask for changes; decline with a message). The submitter gets a mail each time."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.mail import mail_send
from matchwerk.events import rules
from matchwerk.events.enums import IdeaStatus
from matchwerk.events.models import EventIdea

IDEA_FIELDS = ("title", "description", "format", "region", "target_groups", "partners", "place_and_time", "gain")


def _mail(idea: EventIdea, kind: str) -> None:
    submitter = idea.submitter
    if submitter is None:
        return
    context = {"title": idea.title, "message": idea.message, "status": idea.status,
               "ideas_url": settings.SITE_URL + reverse("events:ideas_mine")}
    transaction.on_commit(lambda: mail_send(to=submitter.email, template=f"events/mail/idea_{kind}",
                                            context=context, language=submitter.language or ""))


def idea_submit(*, actor, topics=(), **fields) -> EventIdea:
    if not rules.can_submit_idea(actor):
        raise PermissionDenied
    unknown = set(fields) - set(IDEA_FIELDS)
    if unknown:
        raise TypeError(f"unknown idea fields: {', '.join(sorted(unknown))}")
    idea = EventIdea(submitter=actor, **fields)
    idea.full_clean()
    with transaction.atomic():
        idea.save()
        idea.topics.set(topics)
        log_event("matchwerk.events.idea.submitted", idea, actor=actor)
        _mail(idea, "received")
    return idea


def idea_update(*, actor, idea: EventIdea, topics=None, **fields) -> EventIdea:
    """The submitter revises the idea; asked for changes, it goes back to the staff."""
    if not rules.can_edit_idea(actor, idea):
        raise PermissionDenied
    for name, value in fields.items():
        if name not in IDEA_FIELDS:
            raise TypeError(f"unknown idea field: {name}")
        setattr(idea, name, value)
    idea.status = IdeaStatus.SUBMITTED
    idea.full_clean()
    with transaction.atomic():
        idea.save()
        if topics is not None:
            idea.topics.set(topics)
        log_event("matchwerk.events.idea.updated", idea, actor=actor)
    return idea


def _decide(actor, idea: EventIdea, status: str, message: str) -> None:
    idea.status, idea.message = status, message.strip()
    idea.decided_by, idea.decided_at = actor, timezone.now()
    idea.full_clean()
    idea.save()
    log_event(f"matchwerk.events.idea.{status}", idea, actor=actor)


def _open(actor, idea: EventIdea) -> EventIdea:
    if not rules.can_review_idea(actor, idea):
        raise PermissionDenied
    locked = EventIdea.objects.select_for_update().get(pk=idea.pk)
    if locked.status not in (IdeaStatus.SUBMITTED, IdeaStatus.CHANGES_REQUESTED):
        raise ValidationError(_("Über diese Idee ist schon entschieden."))
    return locked


def idea_accept(*, actor, idea: EventIdea, message: str = "", **event_fields):
    """Accept: a draft event prefilled from the idea (title, format, description, region,
    topics) with the time, place and seats staff give here; returns the event."""
    from matchwerk.events.services.events import event_create

    with transaction.atomic():
        locked = _open(actor, idea)
        description = "\n\n".join(part for part in (locked.description, locked.gain) if part.strip())
        fields = {"title": locked.title, "format": locked.format, "description": description[:10_000],
                  "region": locked.region} | event_fields
        event = event_create(actor=actor, topics=list(locked.topics.all()), **fields)
        locked.event = event
        _decide(actor, locked, IdeaStatus.ACCEPTED, message)
        _mail(locked, "accepted")
    idea.refresh_from_db()
    return event


def idea_request_changes(*, actor, idea: EventIdea, message: str) -> EventIdea:
    if not message.strip():
        raise ValidationError(_("Bitte schreiben Sie, was geändert werden soll."))
    with transaction.atomic():
        locked = _open(actor, idea)
        _decide(actor, locked, IdeaStatus.CHANGES_REQUESTED, message)
        _mail(locked, "changes")
    idea.refresh_from_db()
    return idea


def idea_decline(*, actor, idea: EventIdea, message: str) -> EventIdea:
    if not message.strip():
        raise ValidationError(_("Bitte begründen Sie die Ablehnung; die Nachricht geht an die Einreichenden."))
    with transaction.atomic():
        locked = _open(actor, idea)
        _decide(actor, locked, IdeaStatus.DECLINED, message)
        _mail(locked, "declined")
    idea.refresh_from_db()
    return idea
