"""Who may plan rounds and who sees which seats.

Staff rights follow the events app: whoever may edit an event (``events.rules.can_edit_event``)
plans its rounds, sees the whole table plan, the projector page and every card. A
participant sees only their own seats and card, and only with a confirmed registration.
"""

from __future__ import annotations

from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.rules import can_edit_event


def _active(user) -> bool:
    return bool(user is not None and getattr(user, "is_authenticated", False) and user.is_active)


def can_plan_rounds(user, event) -> bool:
    """Settings, engine runs, table plan, projector, all cards."""
    return event is not None and can_edit_event(user, event)


def can_view_own_seats(user, event) -> bool:
    """The personal table page and card: a confirmed registration of this account."""
    if event is None or not _active(user):
        return False
    return event.registrations.filter(user=user, status=RegistrationStatus.CONFIRMED).exists()
