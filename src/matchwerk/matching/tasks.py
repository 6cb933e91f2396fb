"""Background work of the matching app (django-tasks: a database queue and `matchwerk worker`)."""

from __future__ import annotations

from django_tasks import task

from matchwerk.matching.models import Programme


@task()
def recompute_suggestions(programme_id: int | None = None) -> int:
    """Recompute suggestions of one programme (or of every active one)."""
    from matchwerk.matching.services import programme_default, suggestions_recompute

    programmes = Programme.objects.filter(pk=programme_id) if programme_id else Programme.objects.filter(is_active=True)
    if not programmes.exists() and programme_id is None:
        programmes = [programme_default()]
    return sum(suggestions_recompute(programme=programme) for programme in programmes)
