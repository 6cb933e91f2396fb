"""Account mails, rendered in the recipient's language and sent by tasks."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.utils import translation


def mail_render(*, template: str, context: dict, language: str) -> tuple[str, str]:
    """Subject and body of ``accounts/mail/<template>_subject.txt`` / ``_body.txt``."""
    context = {"site_url": settings.SITE_URL, **context}
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = render_to_string(f"accounts/mail/{template}_subject.txt", context)
        body = render_to_string(f"accounts/mail/{template}_body.txt", context)
    return " ".join(subject.split()), body


def mail_send(*, subject: str, body: str, to: str, html: str | None = None) -> None:
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html:
        message.attach_alternative(html, "text/html")
    message.send()
