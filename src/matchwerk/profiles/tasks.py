"""Background tasks of the profiles app."""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from matchwerk.accounts.mails import mail_render, mail_send
from matchwerk.accounts.models import User
from matchwerk.profiles.invitations import invitation_url
from matchwerk.profiles.models import Person


@task()
def send_person_invitation(person_id: int, imported: bool = False) -> None:
    """The mail that asks a person to link her account to the organisation ("claim your
    organisation's profile" for contacts the network's staff imported)."""
    person = Person.objects.select_related("organisation").filter(pk=person_id).first()
    if person is None or not person.email or person.user_id:
        return
    account = User.objects.filter(email__iexact=person.email.strip()).first()
    language = account.language if account is not None else settings.LANGUAGE_CODE
    subject, body = mail_render(template="person_invitation", language=language, context={
        "person": person, "organisation": person.organisation, "imported": imported,
        "invitation_url": invitation_url(person=person)})
    mail_send(subject=subject, body=body, to=person.email)
