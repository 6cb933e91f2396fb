"""Background work of the matching app (django-tasks: a database queue and `matchwerk db_worker`)."""

from __future__ import annotations

from django.conf import settings
from django.core.mail import send_mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from matchwerk.matching.models import Match, Programme


@task()
def recompute_suggestions(programme_id: int | None = None) -> int:
    """Recompute suggestions of one programme (or of every active one)."""
    from matchwerk.matching.services import programme_default, suggestions_recompute

    programmes = Programme.objects.filter(pk=programme_id) if programme_id else Programme.objects.filter(is_active=True)
    if not programmes.exists() and programme_id is None:
        programmes = [programme_default()]
    return sum(suggestions_recompute(programme=programme) for programme in programmes)


@task()
def notify_match_proposed(match_id: int) -> int:
    """Ask both organisations of a proposed match for their consent (one mail per editor,
    in the recipient's language)."""
    match = Match.objects.prefetch_related("sides__organisation__people__user").get(pk=match_id)
    sides = list(match.sides.all())
    sent = 0
    for side in sides:
        partner = next(s.organisation for s in sides if s.pk != side.pk)
        for person in side.organisation.people.all():
            if not person.can_edit or person.user is None or not person.user.is_active:
                continue
            with translation.override(person.user.language or "de"):
                context = {"person": person, "organisation": side.organisation, "partner": partner,
                           "match": match, "url": settings.SITE_URL + reverse("matching:my_matches")}
                subject = render_to_string("matching/mail/match_proposed_subject.txt", context).strip()
                body = render_to_string("matching/mail/match_proposed.txt", context)
            sent += send_mail(subject, body, None, [person.user.email])
    return sent
