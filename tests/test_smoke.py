import pytest


@pytest.mark.django_db
def test_home_page_names_matchwerk_in_german(client):
    response = client.get("/")
    assert response.status_code == 200
    assert "Matchwerk" in response.content.decode()
    assert 'lang="de"' in response.content.decode()
