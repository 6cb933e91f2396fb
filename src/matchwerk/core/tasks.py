"""Background tasks of the core app. Mails run on their own queue ("mail") with a high
priority, so a mail never waits behind a recompute or an import."""

from __future__ import annotations

from django_tasks import task

from matchwerk.core.mail import mail_deliver, mail_render

MAIL_QUEUE = "mail"


@task(queue_name=MAIL_QUEUE, priority=50)
def send_mail(*, to: str, template: str, context: dict, language: str = "") -> int:
    """Render ``template`` in ``language`` and send it to ``to``; returns the number sent."""
    subject, body, html = mail_render(template=template, context=context, language=language)
    return mail_deliver(to=to, subject=subject, body=body, html=html)
