"""The one mail path: ``mail_send`` queues a mail, the ``send_mail`` task renders it in the
recipient's language and sends it through Django's mail framework.

A mail is a template triple under any template folder::

    <template>_subject.txt   one line (white space is folded)
    <template>_body.txt      plain text, rendered WITHOUT HTML escaping
    <template>_body.html     optional HTML alternative, rendered with escaping

The context of ``mail_send`` must be JSON-serialisable (it travels through the task queue):
pass names, URLs and numbers, not model instances. ``site_url`` is always available.
A mail task of an app that needs model instances in the template or an attachment (the
events app's calendar files) runs on ``MAIL_QUEUE`` and calls ``mail_render`` and
``mail_deliver`` itself.
"""

from __future__ import annotations

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template import TemplateDoesNotExist, engines
from django.template.loader import render_to_string
from django.utils import translation


def mail_render(*, template: str, context: dict | None = None, language: str = "") -> tuple[str, str, str | None]:
    """Subject, plain-text body and optional HTML body of ``template`` in ``language``."""
    context = {"site_url": settings.SITE_URL, **(context or {})}
    text = engines["text"]
    with translation.override(language or settings.LANGUAGE_CODE):
        subject = text.get_template(f"{template}_subject.txt").render(context)
        body = text.get_template(f"{template}_body.txt").render(context)
        try:
            html = render_to_string(f"{template}_body.html", context)
        except TemplateDoesNotExist:
            html = None
    return " ".join(subject.split()), body, html


def mail_deliver(*, to: str, subject: str, body: str, html: str | None = None,
                 attachments: list[tuple[str, bytes, str]] = ()) -> int:
    """Send one rendered mail now, from a task on the ``mail`` queue (``send_mail``, or a
    mail task of an app that attaches files: ``(filename, content, content type)``)."""
    message = EmailMultiAlternatives(subject, body, settings.DEFAULT_FROM_EMAIL, [to])
    if html:
        message.attach_alternative(html, "text/html")
    for filename, content, content_type in attachments:
        message.attach(filename, content, content_type)
    return message.send()


def mail_send(*, to: str, template: str, context: dict | None = None, language: str = ""):
    """Queue one mail to ``to`` on the ``mail`` queue; returns the task result.

    The task row is written in the caller's transaction (database queue), so a rolled-back
    action sends nothing. Rendering happens in the worker, in ``language`` (the
    recipient's; the site default when empty)."""
    from matchwerk.core.tasks import send_mail

    return send_mail.enqueue(to=to, template=template, context=context or {}, language=language or "")
