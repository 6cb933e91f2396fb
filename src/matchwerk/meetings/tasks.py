"""Background work of the meetings app: plan runs on the default queue, change mails with
calendar entries on the mail queue (tasks receive ids and load what they need)."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse
from django_tasks import task

from matchwerk.core.mail import mail_deliver, mail_render
from matchwerk.core.tasks import MAIL_QUEUE
from matchwerk.events.ical import ICS_CONTENT_TYPE
from matchwerk.events.models import Registration
from matchwerk.meetings.ical import meetings_calendar_bytes
from matchwerk.meetings.models import PlanVersion
from matchwerk.meetings.services.plan import plan_execute


@task(priority=0)
def run_plan(run_id: int) -> str:
    run = plan_execute(run_id=run_id)
    return run.status if run else "missing"


@task(queue_name=MAIL_QUEUE, priority=50)
def notify_plan_changed(version_id: int, registration_id: int) -> int:
    """One person's mail: their meetings of the released version, as a calendar file."""
    version = PlanVersion.objects.select_related("event").filter(pk=version_id).first()
    registration = Registration.objects.select_related("user", "event").filter(pk=registration_id).first()
    if version is None or registration is None or not registration.email:
        return 0
    language = (registration.user.language if registration.user_id else "") or settings.LANGUAGE_CODE
    first = not PlanVersion.objects.filter(event=version.event, status="released", number__lt=version.number).exists()
    context = {"name": registration.name, "event_title": version.event.title, "first": first,
               "meetings_url": settings.SITE_URL + reverse("meetings:home", args=[version.event_id])}
    subject, body, html = mail_render(template="meetings/mail/plan_changed", context=context, language=language)
    attachment = (f"gespraeche-{version.event_id}.ics", meetings_calendar_bytes(registration=registration),
                  ICS_CONTENT_TYPE)
    return mail_deliver(to=registration.email, subject=subject, body=body, html=html, attachments=[attachment])
