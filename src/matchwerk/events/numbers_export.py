"""The numbers of one event as a spreadsheet (XLSX and CSV) for the programmes' reports:
registrations, waiting list, invitations, cancellations, check-ins, walk-ins and no-shows,
by kind and by region of the organisation, the feedback, and the 1:1 meetings (planned and
held) when the meetings app has a released plan. One row per figure (area, group, figure,
value), written with the profiles' export writers (formula-safe cells, CSV for German
Excel)."""

from __future__ import annotations

from collections import defaultdict

from django.apps import apps
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from matchwerk.events import selectors
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event

NO_ORGANISATION = "—"


def _group_rows(area: str, counts: dict, ended: bool) -> list[list]:
    rows = []
    for label, figures in sorted(counts.items(), key=lambda item: str(item[0])):
        rows += [[area, label, _("angemeldet"), figures["registered"]],
                 [area, label, _("anwesend"), figures["present"]],
                 [area, label, _("nicht erschienen"), figures["registered"] - figures["present"] if ended else ""],
                 [area, label, _("Warteliste"), figures["waiting"]]]
    return rows


def _meeting_rows(event: Event) -> list[list]:
    """Planned meetings of the released plan; held = at least one side's feedback says it
    took place and nobody reported the other absent."""
    if not apps.is_installed("matchwerk.meetings"):
        return []
    from matchwerk.meetings.models import Meeting, MeetingFeedback
    from matchwerk.meetings.selectors import released_version

    version = released_version(event_id=event.pk)
    if version is None:
        return []
    requests = set(Meeting.objects.filter(version=version).values_list("request_id", flat=True))
    seen: dict[int, set] = defaultdict(set)
    for request_id, no_show in MeetingFeedback.objects.filter(request_id__in=requests).values_list(
            "request_id", "no_show"):
        seen[request_id].add(no_show)
    held = sum(1 for flags in seen.values() if flags == {False})
    absent = sum(1 for flags in seen.values() if True in flags)
    area = _("Einzelgespräche")
    return [[area, _("Plan, Version %(n)s") % {"n": version.number}, _("geplant"), len(requests)],
            [area, _("Rückmeldungen"), _("stattgefunden (laut Rückmeldung)"), held],
            [area, _("Rückmeldungen"), _("Gegenüber als nicht erschienen gemeldet"), absent],
            [area, _("Rückmeldungen"), _("ohne Rückmeldung"), len(requests) - len(seen)]]


def numbers_table(*, event: Event) -> tuple[list[str], list[list]]:
    numbers = selectors.event_numbers(event=event)  # the figures the staff page shows
    ended = numbers["ended"]
    answers = event.registrations.aggregate(
        invited=Count("pk", filter=Q(status=RegistrationStatus.INVITED)),
        declined=Count("pk", filter=Q(status=RegistrationStatus.DECLINED)),
        cancelled=Count("pk", filter=Q(status=RegistrationStatus.CANCELLED)))
    no_shows = numbers["no_shows"] if ended else ""
    start = timezone.localtime(event.starts_at)
    area, everyone = _("Veranstaltung"), _("alle")
    rows = [
        [area, event.title, _("Beginn"), start.strftime("%d.%m.%Y %H:%M")],
        [area, event.title, _("Format"), event.get_format_display()],
        [area, event.title, _("Region"), event.region.name if event.region_id else ""],
        [area, event.title, _("Plätze"), event.capacity],
        [_("Gesamt"), everyone, _("angemeldet"), numbers["registered"]],
        [_("Gesamt"), everyone, _("anwesend"), numbers["present"]],
        [_("Gesamt"), everyone, _("davon vor Ort angemeldet"), numbers["walk_ins"]],
        [_("Gesamt"), everyone, _("nicht erschienen"), no_shows],
        [_("Gesamt"), everyone, _("Warteliste"), numbers["waiting"]],
        [_("Gesamt"), everyone, _("eingeladen, noch ohne Antwort"), answers["invited"]],
        [_("Gesamt"), everyone, _("Einladung abgelehnt"), answers["declined"]],
        [_("Gesamt"), everyone, _("abgemeldet"), answers["cancelled"]],
    ]
    by_kind: dict[str, dict] = defaultdict(lambda: {"registered": 0, "present": 0, "waiting": 0})
    by_region: dict[str, dict] = defaultdict(lambda: {"registered": 0, "present": 0, "waiting": 0})
    counted = event.registrations.filter(status__in=[RegistrationStatus.CONFIRMED, RegistrationStatus.WAITLISTED])
    for registration in counted.select_related("organisation__region"):
        organisation = registration.organisation
        kind = str(organisation.get_kind_display()) if organisation else NO_ORGANISATION
        region = organisation.region.name if organisation else NO_ORGANISATION
        for bucket in (by_kind[kind], by_region[region]):
            if registration.status == RegistrationStatus.WAITLISTED:
                bucket["waiting"] += 1
            else:
                bucket["registered"] += 1
                bucket["present"] += registration.checked_in_at is not None
    rows += _group_rows(_("Art der Organisation"), by_kind, ended)
    rows += _group_rows(_("Region der Organisation"), by_region, ended)
    average = numbers["feedback_average"]
    rows += [[_("Rückmeldung"), everyone, _("Anzahl"), numbers["feedback_count"]],
             [_("Rückmeldung"), everyone, _("durchschnittliche Bewertung (1–5)"),
              round(average, 2) if average is not None else ""]]
    rows += _meeting_rows(event)
    return [_("Bereich"), _("Gruppe"), _("Kennzahl"), _("Wert")], rows


def numbers_file(*, event: Event, file_format: str) -> bytes:
    from matchwerk.profiles.exporting import to_csv, to_xlsx

    headers, rows = numbers_table(event=event)
    if file_format == "csv":
        return to_csv(headers, rows)
    return to_xlsx(headers, rows, sheet_title=_("Zahlen"))
