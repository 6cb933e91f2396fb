"""Printouts and QR codes: badges (A4 sheets of eight, or one per page), the participant
list and the personal agenda as PDF (``core.pdf.render_pdf``), the participant list as XLSX
and CSV (the profiles' export writers: formula-safe cells, CSV for German Excel); QR codes
of check-in codes drawn with segno (inline SVG on pages, a data URI in PDFs, PNG in mails)."""

from __future__ import annotations

import io

import segno
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from matchwerk.core.pdf import render_pdf
from matchwerk.events import selectors
from matchwerk.events.enums import RegistrationStatus
from matchwerk.events.models import Event

# The QR code carries the check-in code alone: camera scanners and handheld scanners type
# exactly what staff would type.


def qr_data_uri(code: str, *, scale: int = 4) -> str:
    return segno.make(code, error="m", micro=False).svg_data_uri(scale=scale, border=2)


def qr_png(code: str, *, scale: int = 8) -> bytes:
    """PNG for a mail attachment (mail clients do not show SVG)."""
    buffer = io.BytesIO()
    segno.make(code, error="m", micro=False).save(buffer, kind="png", scale=scale, border=4)
    return buffer.getvalue()


def qr_svg(code: str, *, scale: int = 6, title: str = "") -> str:
    """Inline SVG for a page (no external file, CSP-safe)."""
    return mark_safe(segno.make(code, error="m", micro=False).svg_inline(scale=scale, border=2, title=title or code))


def _confirmed(event: Event):
    return selectors.registrations_of_event(event=event).filter(status=RegistrationStatus.CONFIRMED).order_by(
        "name", "pk")


def badges_pdf(*, event: Event, single: bool = False) -> bytes:
    badges = [{"registration": r, "qr": qr_data_uri(r.code)} for r in _confirmed(event)]
    return render_pdf("events/pdf/badges.html", {"event": event, "badges": badges, "single": single})


def participants_pdf(*, event: Event) -> bytes:
    return render_pdf("events/pdf/participants.html", {"event": event, "registrations": list(_confirmed(event)),
                                                       "sign_in": True})


def agenda_pdf(*, user) -> bytes:
    registrations = list(selectors.agenda_of_user(user=user).filter(status=RegistrationStatus.CONFIRMED)
                         .prefetch_related("event__sessions"))
    titles = selectors.group_titles_of_registrations([r.pk for r in registrations])
    items = [{"registration": r, "event": r.event, "qr": qr_data_uri(r.code), "groups": titles.get(r.pk, [])}
             for r in registrations]
    return render_pdf("events/pdf/agenda.html", {"person": user, "items": items})


def participants_table(*, event: Event) -> tuple[list[str], list[list]]:
    """The confirmed participants, one row each, with the answers to the extra questions."""
    questions = list(event.questions.all())
    headers = [_("Name"), _("E-Mail"), _("Organisation"), _("Art der Organisation"), _("vor Ort angemeldet"),
               _("eingecheckt um"), _("erschienen"), _("angemeldet am"), _("Check-in-Code")] + [q.label for q in questions]
    ended = selectors.event_has_ended(event=event)
    rows = []
    for registration in _confirmed(event):
        # after the event everyone confirmed but not checked in is marked as a no-show
        attended = _("ja") if registration.checked_in_at else (_("nein") if ended else "")
        organisation = registration.organisation
        rows.append([
            registration.name, registration.email, registration.organisation_label,
            organisation.get_kind_display() if organisation else "", _("ja") if registration.walk_in else _("nein"),
            _local(registration.checked_in_at), attended, _local(registration.created_at), registration.code,
        ] + [_answer(registration.answers.get(str(q.pk), "")) for q in questions])
    return headers, rows


def _local(moment) -> str:
    return timezone.localtime(moment).strftime("%d.%m.%Y %H:%M") if moment else ""


def _answer(value) -> str:
    return ", ".join(map(str, value)) if isinstance(value, list) else str(value)


def participants_file(*, event: Event, file_format: str) -> bytes:
    from matchwerk.profiles.exporting import to_csv, to_xlsx

    headers, rows = participants_table(event=event)
    if file_format == "csv":
        return to_csv(headers, rows)
    return to_xlsx(headers, rows, sheet_title=_("Teilnahmeliste"))
