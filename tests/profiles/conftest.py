import io

import pytest
from factories import (
    make_coordinator, make_need, make_offer, make_organisation, make_region, make_team_member, make_user,
)
from PIL import Image

from matchwerk.accounts.enums import Role


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def cast(db):
    """Who is who: the member of a listed and of a hidden organisation, an outsider, and
    staff whose scope covers both organisations (the coordinator of their regions, a
    matching-team member of a programme there), a coordinator of another region, an admin."""
    member = make_user(full_name="Mia Mitglied")
    listed = make_organisation(owner=member, name="Radreisen Elbland", listed=True)
    hidden = make_organisation(owner=member, name="Stille GmbH", listed=False)
    need = make_need(listed)
    offer = make_offer(listed)
    hidden_need = make_need(hidden, title="Geheimer Bedarf")
    hidden_offer = make_offer(hidden, title="Geheimes Angebot")
    return {
        "member": member, "outsider": make_user(full_name="Otto Außen"),
        "coordinator": make_coordinator(listed.region, hidden.region),
        "team": make_team_member(listed.region, hidden.region),
        "other_coordinator": make_coordinator(make_region()),
        "admin": make_user(role=Role.ADMIN),
        "listed": listed, "hidden": hidden, "need": need, "offer": offer,
        "hidden_need": hidden_need, "hidden_offer": hidden_offer,
    }


@pytest.fixture
def make_image():
    """Bytes of a small real image in the given Pillow format."""
    def make(fmt: str = "PNG", size=(40, 20)) -> bytes:
        buffer = io.BytesIO()
        Image.new("RGB", size, (200, 30, 30)).save(buffer, format=fmt)
        return buffer.getvalue()
    return make
