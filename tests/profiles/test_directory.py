"""The directory: only listed organisations, filters alone and combined, pagination, queries."""

import pytest
from django.urls import reverse
from factories import make_need, make_offer, make_organisation, make_region, make_topic

from matchwerk.profiles import selectors


@pytest.fixture
def world(db):
    dresden, leipzig = make_region(name="Dresden-Test"), make_region(name="Leipzig-Test")
    tourism, design = make_topic(name="Tourismus-T"), make_topic(name="Design-T")
    radreisen = make_organisation(name="Radreisen Elbland", kind="sme", region=dresden, town="Pirna")
    radreisen.topics.add(tourism)
    make_need(radreisen, title="Online-Buchung", description="Wir suchen ein Buchungssystem.")
    studio = make_organisation(name="Öko-Studio", kind="creative", region=leipzig,
                               about="Gestaltung für Handwerk und Öko-Landbau.")
    offer = make_offer(studio, title="Markenauftritt", description="Logos und Fotografie.")
    offer.topics.add(design)
    app = make_organisation(name="Buchbar Digital", kind="startup", region=dresden)
    need = make_need(app, title="Pilotkunden", description="Gesucht: Anbieter im Öko-Tourismus.")
    need.topics.add(tourism)
    hidden = make_organisation(name="Verborgen Buchung GmbH", kind="sme", region=dresden, listed=False,
                               town="Pirna", about="Öko Buchungssystem Design")
    hidden.topics.add(tourism, design)
    make_need(hidden, title="Online-Buchung")
    return locals()


def _names(**filters):
    return sorted(o.name for o in selectors.directory_search(**filters))


def test_directory_lists_only_listed_organisations(world):
    assert _names() == ["Buchbar Digital", "Radreisen Elbland", "Öko-Studio"]


def test_directory_filter_kind(world):
    assert _names(kind="creative") == ["Öko-Studio"]


def test_directory_filter_region(world):
    assert _names(region=world["dresden"]) == ["Buchbar Digital", "Radreisen Elbland"]


def test_directory_filter_topic_matches_own_needs_and_offers_topics(world):
    assert _names(topic=world["tourism"]) == ["Buchbar Digital", "Radreisen Elbland"]
    assert _names(topic=world["design"]) == ["Öko-Studio"]


@pytest.mark.parametrize("text, expected", [
    ("radreisen", ["Radreisen Elbland"]),          # name, case-insensitive
    ("PIRNA", ["Radreisen Elbland"]),              # town
    ("handwerk", ["Öko-Studio"]),                  # about text
    ("buchungssystem", ["Radreisen Elbland"]),     # need description
    ("markenauftritt", ["Öko-Studio"]),            # offer title
    ("fotografie", ["Öko-Studio"]),                # offer description
    ("öko", ["Buchbar Digital", "Öko-Studio"]),    # umlaut in any case, on SQLite too
    ("ÖKO", ["Buchbar Digital", "Öko-Studio"]),
    ("gibt es nicht", []),
])
def test_directory_free_text(world, text, expected):
    assert _names(text=text) == expected


def test_directory_filters_combined(world):
    assert _names(kind="startup", region=world["dresden"], topic=world["tourism"], text="pilot") == [
        "Buchbar Digital"]
    assert _names(kind="sme", region=world["leipzig"]) == []
    assert _names(region=world["dresden"], text="buch") == ["Buchbar Digital", "Radreisen Elbland"]


def test_directory_page_filters_by_get_parameters(client, world):
    response = client.get(reverse("profiles:directory"), {
        "q": "buchung", "kind": "sme", "region": world["dresden"].slug, "topic": world["tourism"].slug})
    body = response.content.decode()
    assert response.status_code == 200
    assert "Radreisen Elbland" in body and "Buchbar Digital" not in body and "Verborgen" not in body
    assert 'aria-live="polite"' in body and "1 Organisation gefunden" in body
    for field in ("q", "kind", "region", "topic"):
        assert f'for="id_{field}"' in body


def test_directory_page_never_shows_hidden_organisations(client, world):
    for params in ({}, {"q": "Verborgen"}, {"q": "Öko"}, {"topic": world["design"].slug}):
        response = client.get(reverse("profiles:directory"), params)
        assert world["hidden"] not in response.context["organisations"]
        assert "Verborgen Buchung GmbH" not in response.content.decode()


def test_directory_invalid_filter_value_is_ignored_not_an_error(client, world):
    response = client.get(reverse("profiles:directory"), {"region": "gibt-es-nicht", "kind": "x"})
    assert response.status_code == 200


def test_directory_paginates_24_per_page(client, db):
    region = make_region()
    for n in range(30):
        make_organisation(name=f"Firma {n:02d}", region=region)
    first = client.get(reverse("profiles:directory"), {"region": region.slug})
    assert len(first.context["organisations"]) == 24
    assert "30 Organisationen gefunden" in first.content.decode()
    second = client.get(reverse("profiles:directory"), {"region": region.slug, "seite": 2})
    assert [o.name for o in second.context["organisations"]] == [f"Firma {n}" for n in range(24, 30)]
    assert f"region={region.slug}" in first.content.decode()


def _populate(count: int):
    region, topic = make_region(), make_topic()
    for n in range(count):
        organisation = make_organisation(name=f"Org {n}", region=region)
        organisation.topics.add(topic)
        make_need(organisation).topics.add(topic)
        make_offer(organisation)


def test_directory_query_count_does_not_grow_with_results(client, db, django_assert_num_queries):
    _populate(3)
    # count, page, topics, needs, offers prefetches, filter choices (regions, topics)
    with django_assert_num_queries(7):
        assert client.get(reverse("profiles:directory")).status_code == 200
    _populate(15)
    with django_assert_num_queries(7):
        response = client.get(reverse("profiles:directory"))
    assert len(response.context["organisations"]) == 18


def test_directory_text_search_runs_its_filter_once(client, db, django_assert_num_queries):
    """The free-text filter scans every need and offer: it runs once (the matching ids),
    not once for the count and again for the page; the query count stays constant."""
    _populate(30)
    # matching ids, the page's organisations, topics, needs, offers, filter choices
    with django_assert_num_queries(7) as captured:
        response = client.get(reverse("profiles:directory"), {"q": "org", "seite": 2})
    assert [o.name for o in response.context["organisations"]] == sorted(f"Org {n}" for n in range(30))[24:]
    assert "30 Organisationen gefunden" in response.content.decode()
    searches = [q["sql"] for q in captured.captured_queries if "LIKE" in q["sql"].upper()]
    assert len(searches) == 1 and "COUNT(" not in searches[0].upper()


def test_directory_search_spellings_only_where_the_database_needs_them(db):
    from django.db import connection

    if connection.vendor == "sqlite":  # LIKE folds ASCII only: one spelling per non-ASCII case form
        assert selectors._case_variants("Organisation 77") == ["Organisation 77"]
        assert selectors._case_variants("öko") == ["öko", "ÖKO"]  # "ÖKO" finds "Öko" too
    else:  # icontains folds every letter
        assert selectors._case_variants("öko") == ["öko"]
