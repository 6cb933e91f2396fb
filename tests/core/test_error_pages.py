import pytest
from factories import make_user


@pytest.mark.django_db
def test_404_page_is_german_with_layout(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    body = response.content.decode()
    assert "Seite nicht gefunden" in body and '<main id="main"' in body


@pytest.mark.django_db
def test_403_page_is_german_with_layout(client):
    client.force_login(make_user())
    response = client.get("/backoffice/")
    assert response.status_code == 403
    assert "Kein Zugriff" in response.content.decode()
