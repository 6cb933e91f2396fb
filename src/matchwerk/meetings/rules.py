"""Who may see and change an event's meetings.

Participants are the event's confirmed registrations with an account; a participant sees
only their own requests, meetings and feedback. Network staff manage settings and plans.
"""

from __future__ import annotations

from matchwerk.accounts.rules import is_active_user, is_network_staff
from matchwerk.events.enums import EventStatus, RegistrationStatus


def can_manage_meetings(user, event=None) -> bool:
    """Settings, plan runs, hand moves, release, printouts, feedback figures."""
    return is_network_staff.test(user)


def is_participant(user, registration) -> bool:
    return bool(registration is not None and is_active_user.test(user) and registration.user_id == user.pk
                and registration.status == RegistrationStatus.CONFIRMED)


def can_take_part(user, registration) -> bool:
    """Browse, request, answer, set availability: a confirmed participant of a published event."""
    return is_participant(user, registration) and registration.event.status in (EventStatus.PUBLISHED,
                                                                                 EventStatus.CLOSED)


def can_change_request(user, request) -> bool:
    """Edit the message or priority, withdraw: the requester only."""
    return request is not None and is_active_user.test(user) and request.requester.user_id == user.pk


def can_answer_request(user, request) -> bool:
    """Accept or decline: the receiver only."""
    return request is not None and is_active_user.test(user) and request.receiver.user_id == user.pk


def can_view_request(user, request) -> bool:
    return can_change_request(user, request) or can_answer_request(user, request) or can_manage_meetings(user)


def can_give_feedback(user, request) -> bool:
    return request is not None and is_active_user.test(user) and user.pk in (request.requester.user_id,
                                                                             request.receiver.user_id)
