"""Writes of the events app (``<entity>_<verb>``, keyword-only arguments).

Split by entity: events (create, edit, copy, status changes), registrations (register,
invite, respond, cancel, walk-ins, waiting list) and calendar feeds.
"""

from matchwerk.events.services.feedback import feedback_create, feedback_problem
from matchwerk.events.services.checkin import CheckIn, checkins_sync, registration_check_in
from matchwerk.events.services.calendar_feeds import calendar_feed_create, calendar_feed_revoke
from matchwerk.events.services.events import (
    EVENT_FIELDS, event_cancel, event_close, event_copy, event_create, event_publish, event_update,
    publication_problems, question_add, question_delete,
)
from matchwerk.events.services.sessions import (
    GroupProposal, group_member_add, group_member_remove, groups_propose, session_add, session_delete,
)
from matchwerk.events.services.ideas import (
    idea_accept, idea_decline, idea_request_changes, idea_submit, idea_update,
)
from matchwerk.events.services.wall import (
    projector_link_set, wall_photos_remove, wall_post_create, wall_post_moderate,
)
from matchwerk.events.services.registrations import (
    registration_cancel, registration_create, registration_invite, registration_move, registration_respond,
    registration_walk_in,
)

__all__ = [
    "wall_post_create", "wall_post_moderate", "projector_link_set", "wall_photos_remove",
    "EVENT_FIELDS", "CheckIn", "feedback_create", "feedback_problem", "registration_check_in", "checkins_sync", "calendar_feed_create", "calendar_feed_revoke", "event_cancel", "event_close", "event_copy",
    "event_create", "event_publish", "event_update", "publication_problems", "question_add", "question_delete",
    "registration_cancel", "registration_create", "registration_invite", "registration_move", "registration_respond",
    "registration_walk_in", "GroupProposal", "group_member_add", "group_member_remove", "groups_propose",
    "session_add", "session_delete", "idea_accept", "idea_decline", "idea_request_changes", "idea_submit",
    "idea_update",
]
