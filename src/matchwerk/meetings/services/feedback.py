"""Feedback after a meeting: rating, continue or not, no-show report. When both sides want
to continue, the matching team gets a proposed match (origin: event meeting)."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.meetings import rules
from matchwerk.meetings.models import MeetingFeedback, MeetingRequest, Seat
from matchwerk.meetings.enums import VersionStatus


def _held(request: MeetingRequest):
    """The meeting's slot in the latest released plan (None: not planned)."""
    seat = (Seat.objects.filter(meeting__request=request, version__status=VersionStatus.RELEASED)
            .select_related("slot").order_by("-version__number").first())
    return seat.slot if seat else None


@transaction.atomic
def feedback_submit(*, actor, request: MeetingRequest, rating: int | None, wants_to_continue: bool,
                    no_show: bool, note: str = "") -> MeetingFeedback:
    if not rules.can_give_feedback(actor, request):
        raise PermissionDenied
    request = MeetingRequest.objects.select_for_update().select_related("requester", "receiver", "event").get(
        pk=request.pk)
    author = request.requester if request.requester.user_id == actor.pk else request.receiver
    slot = _held(request)
    if slot is None:
        raise ValidationError(_("Dieses Gespräch steht in keinem veröffentlichten Plan."))
    if timezone.now() < slot.starts_at:
        raise ValidationError(_("Eine Rückmeldung ist nach dem Gespräch möglich."))
    if rating is not None and not 1 <= int(rating) <= 5:
        raise ValidationError({"rating": [_("Bitte eine Bewertung von 1 bis 5 wählen.")]})
    if no_show and wants_to_continue:
        raise ValidationError(_("Wer nicht erschienen ist, kann kein Gespräch fortsetzen: bitte nur eins wählen."))
    note = (note or "").strip()
    if len(note) > 1000:
        raise ValidationError({"note": [_("Die Notiz darf höchstens 1000 Zeichen lang sein.")]})
    feedback, _created = MeetingFeedback.objects.update_or_create(
        request=request, author=author,
        defaults={"rating": rating, "wants_to_continue": bool(wants_to_continue), "no_show": bool(no_show),
                  "note": note})
    log_event("matchwerk.meetings.feedback.submitted", feedback, {"continue": feedback.wants_to_continue},
              actor=actor)
    both = MeetingFeedback.objects.filter(request=request, wants_to_continue=True).count() == 2
    if both:
        from matchwerk.meetings.proposals import propose_match

        propose_match(request=request)
    return feedback
