"""Who may see and change an event's meetings.

Participants are the event's confirmed registrations with an account; a participant sees
only their own requests, meetings and feedback. The event's staff (scoped as in events/rules.py) manage settings and plans.
"""

from __future__ import annotations

from matchwerk.accounts.rules import is_active_user, is_network_staff
from matchwerk.events.enums import EventStatus, RegistrationStatus
from matchwerk.events.rules import can_edit_event


def can_open_meeting_pages(user) -> bool:
    """The back office guard of the staff pages (each page then asks for its event)."""
    return is_network_staff.test(user)


def can_manage_meetings(user, event) -> bool:
    """Settings, plan runs, hand moves, release, printouts, feedback figures: the staff who
    act on the event (its region's coordinators, its programme's team, administrators,
    its organisers; events/rules.py)."""
    return can_edit_event(user, event)


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
    return can_change_request(user, request) or can_answer_request(user, request) or \
        can_manage_meetings(user, request.event)


def can_give_feedback(user, request) -> bool:
    return request is not None and is_active_user.test(user) and user.pk in (request.requester.user_id,
                                                                             request.receiver.user_id)
