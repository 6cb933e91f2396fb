"""Calendar files: stable UID, SEQUENCE rising on every change, CANCELLED, personal feed."""

from __future__ import annotations

from datetime import timedelta

import icalendar
from django.core import mail
from django.urls import reverse
from factories import make_user

from matchwerk.events import services
from matchwerk.events.models import CalendarFeed


def _entry(content: bytes) -> icalendar.Event:
    calendar = icalendar.Calendar.from_ical(content)
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    return events[0]


def test_time_change_keeps_the_uid_and_raises_the_sequence(client, staff, participant, make_event, committed):
    event = make_event(title="Kick-off Görlitz")
    with committed():
        services.registration_create(actor=participant, event=event)
    confirmation = _entry(mail.outbox[0].attachments[0][1])
    before = _entry(client.get(reverse("events:ics", args=[event.pk])).content)
    assert str(before["UID"]) == str(confirmation["UID"])

    new_start = event.starts_at + timedelta(days=1, hours=2)
    with committed():
        services.event_update(actor=staff, event=event, starts_at=new_start, ends_at=new_start + timedelta(hours=3))
    response = client.get(reverse("events:ics", args=[event.pk]))
    assert response["Content-Type"].startswith("text/calendar")
    after = _entry(response.content)
    assert str(after["UID"]) == str(before["UID"])
    assert int(after["SEQUENCE"]) > int(before["SEQUENCE"])
    assert after.decoded("DTSTART") == new_start
    # Everyone registered got the changed entry by mail.
    change = mail.outbox[-1]
    assert change.to == [participant.email] and "Geänderte Veranstaltung" in change.subject
    mailed = _entry(change.attachments[0][1])
    assert str(mailed["UID"]) == str(before["UID"]) and int(mailed["SEQUENCE"]) == int(after["SEQUENCE"])


def test_ics_of_an_online_event_names_the_link_and_of_a_draft_is_hidden(client, staff, make_event):
    event = make_event(format="online", venue_name="", online_url="https://meet.example.org/r1")
    entry = _entry(client.get(reverse("events:ics", args=[event.pk])).content)
    assert str(entry["LOCATION"]) == "https://meet.example.org/r1"
    draft = make_event(publish=False)
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 404
    client.force_login(staff)
    assert client.get(reverse("events:ics", args=[draft.pk])).status_code == 200


def test_personal_feed_lists_confirmed_and_cancelled_events_and_can_be_revoked(client, staff, participant,
                                                                                make_event):
    going, waiting, cancelled = make_event(title="Geht hin", capacity=5), make_event(title="Warte", capacity=1), \
        make_event(title="Fällt aus")
    services.registration_create(actor=participant, event=going)
    services.registration_create(actor=make_user(), event=waiting)
    services.registration_create(actor=participant, event=waiting)
    services.registration_create(actor=participant, event=cancelled)
    services.event_cancel(actor=staff, event=cancelled)
    feed = services.calendar_feed_create(actor=participant)

    response = client.get(reverse("events:feed", args=[feed.token]))
    assert response.status_code == 200
    entries = {str(e["SUMMARY"]): e for e in icalendar.Calendar.from_ical(response.content).walk("VEVENT")}
    assert set(entries) == {"Geht hin", "Fällt aus"}
    assert str(entries["Fällt aus"]["STATUS"]) == "CANCELLED"
    assert str(entries["Geht hin"]["STATUS"]) == "CONFIRMED"

    renewed = services.calendar_feed_create(actor=participant)
    assert renewed.token != feed.token
    assert client.get(reverse("events:feed", args=[feed.token])).status_code == 404
    services.calendar_feed_revoke(actor=participant)
    assert client.get(reverse("events:feed", args=[renewed.token])).status_code == 404
    assert not CalendarFeed.objects.exists()
    assert client.get("/kalender/nicht-geraten.ics").status_code == 404


def test_confirmation_mail_carries_the_ticket_qr_code_and_waiting_list_mail_does_not(
        participant, make_event, committed):
    import io

    import segno
    from PIL import Image

    event = make_event(title="Roundtable Bautzen", capacity=1)
    with committed():
        registration = services.registration_create(actor=participant, event=event)
        waiting = services.registration_create(actor=make_user(), event=event)
    confirmation, waitlisted = mail.outbox
    assert [a[0] for a in confirmation.attachments] == [confirmation.attachments[0][0],
                                                        f"ticket-{registration.code}.png"]
    name, content, content_type = confirmation.attachments[1]
    assert content_type == "image/png" and registration.code in confirmation.body
    image = Image.open(io.BytesIO(content))
    assert image.format == "PNG" and image.size[0] >= 200
    # The picture is exactly the QR code of the check-in code (what the door scanner reads).
    expected = io.BytesIO()
    segno.make(registration.code, error="m", micro=False).save(expected, kind="png", scale=8, border=4)
    assert content == expected.getvalue()
    assert waitlisted.to == [waiting.email] and waitlisted.attachments == []
