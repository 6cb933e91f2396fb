"""Service functions of the meetings app (keyword-only, permission-checked)."""

from matchwerk.meetings.services.feedback import feedback_submit  # noqa: F401
from matchwerk.meetings.services.plan import (  # noqa: F401
    meeting_add, meeting_book, meeting_lock, meeting_move, meeting_remove, plan_cancel, plan_start, version_release,
)
from matchwerk.meetings.services.requests import (  # noqa: F401
    availability_set, person_hide, request_answer, request_create, request_update, request_withdraw,
)
from matchwerk.meetings.services.settings import booth_set, brokerage_configure  # noqa: F401
