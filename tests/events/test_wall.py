"""The live wall: participants post, staff moderate before or after, the projector polls
a fragment; hiding takes a post off every view; outsiders are refused."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from factories import make_coordinator, make_region, make_user

from matchwerk.core.models import AccessLog
from matchwerk.events import services
from matchwerk.events.enums import WallModeration, WallPostStatus
from matchwerk.events.models import WallPost


@pytest.fixture
def wall_event(make_event, participant):
    event = make_event(title="Digitalkonferenz Chemnitz", hashtag="#DigiChemnitz")
    services.registration_create(actor=participant, event=event)
    return event


def test_moderated_before_a_post_waits_until_approved_and_hiding_removes_it(client, staff, participant, wall_event):
    client.force_login(participant)
    url = reverse("events:wall", args=[wall_event.pk])
    response = client.post(url, {"text": "Tolle Keynote zu Datenräumen!"}, follow=True)
    assert "sobald das Team ihn freigegeben hat" in response.content.decode()
    post = WallPost.objects.get()
    assert post.status == WallPostStatus.PENDING and post.author_name == "Paula Teilnehmerin"
    client.force_login(staff)
    fragment = reverse("events:staff_wall_projector_posts", args=[wall_event.pk])
    assert "Tolle Keynote" not in client.get(fragment).content.decode()
    client.post(reverse("events:staff_wall_moderate", args=[post.pk]), {"status": "approved"})
    projector = client.get(reverse("events:staff_wall_projector", args=[wall_event.pk])).content.decode()
    assert "Tolle Keynote" in projector and "#DigiChemnitz" in projector and 'hx-trigger="every 5s"' in projector
    client.post(reverse("events:staff_wall_moderate", args=[post.pk]), {"status": "hidden"})
    assert "Tolle Keynote" not in client.get(fragment).content.decode()
    client.force_login(participant)
    assert "Tolle Keynote" not in client.get(url).content.decode()
    assert AccessLog.objects.filter(action__startswith="matchwerk.events.wall_post.").count() == 2


def test_moderated_after_a_post_appears_at_once(staff, participant, wall_event):
    services.event_update(actor=staff, event=wall_event, wall_moderation=WallModeration.AFTER)
    post = services.wall_post_create(actor=participant, event=wall_event, text="Hallo Chemnitz")
    assert post.status == WallPostStatus.APPROVED


def test_bad_posts_and_outsiders_are_refused(client, staff, participant, wall_event):
    with pytest.raises(ValidationError, match="Bitte schreiben"):
        services.wall_post_create(actor=participant, event=wall_event, text="   ")
    with pytest.raises(ValidationError, match="höchstens 280 Zeichen"):
        services.wall_post_create(actor=participant, event=wall_event, text="x" * 281)
    stranger = make_user()
    with pytest.raises(PermissionDenied):
        services.wall_post_create(actor=stranger, event=wall_event, text="Hallo")
    post = services.wall_post_create(actor=participant, event=wall_event, text="Hallo")
    other_coordinator = make_coordinator(make_region(name="Vogtland"))
    with pytest.raises(PermissionDenied):
        services.wall_post_moderate(actor=other_coordinator, post=post, status=WallPostStatus.APPROVED)
    with pytest.raises(ValidationError):
        services.wall_post_moderate(actor=staff, post=post, status="deleted")
    for user, expected in ((stranger, 403), (other_coordinator, 403), (participant, 200)):
        client.force_login(user)
        assert client.get(reverse("events:wall", args=[wall_event.pk])).status_code == expected
    client.force_login(participant)
    for name, key in (("events:staff_wall", wall_event.pk), ("events:staff_wall_projector", wall_event.pk),
                      ("events:staff_wall_projector_posts", wall_event.pk)):
        assert client.get(reverse(name, args=[key])).status_code == 403
    assert client.post(reverse("events:staff_wall_moderate", args=[post.pk]), {"status": "approved"}).status_code == 403
    client.logout()
    assert client.get(reverse("events:wall", args=[wall_event.pk])).status_code == 302
    assert WallPost.objects.get().status == WallPostStatus.PENDING


def test_an_erased_account_takes_its_posts_along(participant, wall_event):
    services.wall_post_create(actor=participant, event=wall_event, text="Bis gleich")
    participant.delete()
    assert not WallPost.objects.exists()
