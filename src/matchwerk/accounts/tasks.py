"""Background tasks of the accounts app: every account mail goes through one of these.

Tasks receive ids (or already rendered text), load what they need and send.
"""

from __future__ import annotations

from django_tasks import task

from matchwerk.accounts.confirmation import confirmation_url
from matchwerk.accounts.mails import mail_render, mail_send
from matchwerk.accounts.models import User


@task()
def send_confirmation_mail(user_id: int) -> None:
    """The link that confirms a new account's e-mail address."""
    user = User.objects.filter(pk=user_id, is_active=True, email_confirmed_at__isnull=True).first()
    if user is None:
        return
    subject, body = mail_render(template="confirm_email", language=user.language,
                                context={"user": user, "confirm_url": confirmation_url(user=user)})
    mail_send(subject=subject, body=body, to=user.email)


@task()
def send_signup_attempt_mail(user_id: int) -> None:
    """Somebody tried to sign up with an address that already has an account."""
    user = User.objects.filter(pk=user_id).first()
    if user is None:
        return
    subject, body = mail_render(template="signup_attempt", language=user.language, context={"user": user})
    mail_send(subject=subject, body=body, to=user.email)


@task()
def send_rendered_mail(subject: str, body: str, to: str, html: str | None = None) -> None:
    """A mail rendered by the caller (password reset uses Django's own templates)."""
    mail_send(subject=subject, body=body, to=to, html=html)
