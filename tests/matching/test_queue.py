"""The review queue at scale (database-side filters and pages, no N+1), decisions that
keep page and filters, reasons in the reader's language, and the contact exchange."""

import pytest
from django.urls import reverse
from django.utils import translation
from factories import make_need, make_offer, make_organisation, make_region, make_user

from matchwerk.accounts.enums import Role
from matchwerk.matching import recompute, services
from matchwerk.matching.models import Suggestion
from matchwerk.matching.reasons import render_all, topic_labels
from matchwerk.matching.staff.views import QUEUE_PAGE
from matchwerk.profiles.models import Person, Topic


@pytest.fixture
def computed(network):
    topic = Topic.objects.create(slug="tourismus-test", name_de="Tourismus (Test)", name_en="Tourism (test)")
    network["sme"].topics.add(topic)
    network["startup"].topics.add(topic)
    recompute.suggestions_recompute(programme=recompute.programme_default())
    return network


def _many_suggestions(programme, n=70):
    """Rows for a long queue (distinct pairs, scores falling)."""
    region = make_region()
    organisations = [make_organisation(kind="sme" if i % 2 else "startup", region=region, name=f"Lang {i:03d}")
                     for i in range(n + 1)]
    Suggestion.objects.bulk_create([
        Suggestion(programme=programme, organisation=organisations[i], partner=organisations[i + 1],
                   score=round(0.95 - (i % 20) * 0.045, 3), rank=1, reasons=[{"code": "same_region"}]) for i in range(n)])
    return organisations


def test_same_stored_suggestion_renders_in_german_and_in_english(client, computed):
    suggestion = Suggestion.objects.get(organisation=computed["sme"], partner=computed["startup"])
    assert all(isinstance(code, dict) for code in suggestion.reasons)
    with translation.override("de"):
        german = render_all(suggestion.reasons, topic_labels())
    with translation.override("en"):
        english = render_all(suggestion.reasons, topic_labels())
    assert german[0].startswith(("Bedarf „", "Angebot „")) and "↔" in german[0]
    assert english[0].startswith(("Need “", "Offer “")) and "↔" in english[0]
    assert "gemeinsame Themen: Tourismus (Test)" in german and "shared topics: Tourism (test)" in english
    url = reverse("matching:organisation_suggestions", args=[computed["sme"].pk])
    client.force_login(computed["owner_sme"])
    assert german[0] in client.get(url, HTTP_ACCEPT_LANGUAGE="de").content.decode().replace("&#x27;", "'")
    client.cookies["django_language"] = "en"
    page = client.get(url).content.decode()
    assert english[0] in page and "Tourism (test)" in page and "Bedarf „" not in page


def test_engine_german_and_platform_german_agree(computed):
    from matchwerk.engine.matching.reasons import need_offer, render_de

    codes = [code for suggestion in Suggestion.objects.all() for code in suggestion.reasons]
    codes += [need_offer(direction=d, need=0, offer=o, need_text="a", offer_text="b", words=w, strength=1.0)
              for d in ("need", "offer") for o in (0, -1) for w in ((), ("Wort",))]
    with translation.override("de"):
        assert render_all(codes) == [render_de(code) for code in codes]


def test_queue_pages_and_filters_in_the_database(client, computed, django_assert_max_num_queries):
    programme = recompute.programme_default()
    _many_suggestions(programme)
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    with django_assert_max_num_queries(14):
        first = client.get(url)
    assert first.context["has_next"] and len(first.context["queue"]) == QUEUE_PAGE
    with django_assert_max_num_queries(14):
        third = client.get(url, {"seite": 3})
    names = [s.organisation.name for s in third.context["queue"]]
    assert names and not set(names) & {s.organisation.name for s in first.context["queue"]}
    # one entry per pair
    pairs = [frozenset((s.organisation_id, s.partner_id)) for s in first.context["queue"]]
    assert len(pairs) == len(set(pairs))


def test_queue_search_kind_strength_and_one_organisation(client, computed):
    programme = recompute.programme_default()
    _many_suggestions(programme, n=10)
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    found = client.get(url, {"suche": "buchbar"}).context["queue"]
    assert found and all("Buchbar" in s.organisation.name or "Buchbar" in s.partner.name for s in found)
    creative = client.get(url, {"art": "creative"}).context["queue"]
    assert creative and all("creative" in (s.organisation.kind, s.partner.kind) for s in creative)
    good = client.get(url, {"staerke": "good"}).context["queue"]
    assert good and all(0.5 <= s.score < 0.8 for s in good)
    strong = client.get(url, {"staerke": "strong"}).context["queue"]
    assert strong and all(s.score >= 0.8 for s in strong)
    possible = client.get(url, {"staerke": "possible"}).context["queue"]
    assert possible and all(s.score < 0.5 for s in possible)
    one = client.get(url, {"organisation": computed["startup"].pk})
    assert one.context["queue"] and all(computed["startup"].pk in (s.organisation_id, s.partner_id)
                                        for s in one.context["queue"])
    assert "Vorschläge mit Buchbar Digital" in one.content.decode()


def test_queue_card_says_the_strength_in_words_before_the_number(client, computed):
    programme = recompute.programme_default()
    _many_suggestions(programme, n=20)  # scores 0.95 … 0.095
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    page = client.get(url, {"suche": "Lang 000"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "sehr passend (Passung 0,95)" in page
    weak = client.get(url, {"staerke": "possible", "suche": "Lang"}, HTTP_ACCEPT_LANGUAGE="de").content.decode()
    assert "möglich (Passung 0," in weak and "sehr passend (Passung" not in weak
    client.cookies["django_language"] = "en"
    assert "very good fit (score 0.95)" in client.get(url, {"suche": "Lang 000"}).content.decode()


def test_a_decision_keeps_page_and_filters_without_javascript(client, computed):
    programme = recompute.programme_default()
    _many_suggestions(programme)
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    page = client.get(url, {"seite": 2, "art": "sme", "suche": "Lang"})
    target = page.context["queue"][0]
    here = page.context["here"]
    response = client.post(reverse("matching:decide", args=[target.pk]),
                           {"action": "snooze", "days": 3, "zurueck": here})
    assert response.status_code == 302
    location = response["Location"]
    assert "seite=2" in location and "art=sme" in location and "suche=Lang" in location
    # unknown parameters are not carried along
    response = client.post(reverse("matching:decide", args=[page.context["queue"][1].pk]),
                           {"action": "snooze", "days": 3, "zurueck": "next=https://evil.example&seite=2"})
    assert "evil" not in response["Location"] and response["Location"].startswith("/matching/")


def test_a_decision_through_htmx_swaps_only_the_card(client, computed):
    client.force_login(computed["team"])
    suggestion = Suggestion.objects.get(organisation=computed["sme"], partner=computed["startup"])
    response = client.post(reverse("matching:decide", args=[suggestion.pk]),
                           {"action": "reject", "reason": "kennen sich", "zurueck": "seite=1"},
                           HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert response.status_code == 200 and body.startswith("<li") and "<html" not in body
    assert f'id="vorschlag-{suggestion.pk}"' in body and "abgelehnt" in body
    bad = Suggestion.objects.filter(status="open").first()
    response = client.post(reverse("matching:decide", args=[bad.pk]), {"action": "reject", "reason": " "},
                           HTTP_HX_REQUEST="true")
    assert "Grund" in response.content.decode() and 'name="action"' in response.content.decode()


def test_participants_cannot_decide_through_htmx_either(client, computed):
    client.force_login(computed["owner_sme"])
    suggestion = Suggestion.objects.first()
    response = client.post(reverse("matching:decide", args=[suggestion.pk]), {"action": "accept"},
                           HTTP_HX_REQUEST="true")
    assert response.status_code == 403


def _accepted_match(computed):
    Person.objects.filter(organisation=computed["startup"]).update(phone="+49 351 123456", is_contact=True)
    suggestion = Suggestion.objects.get(organisation=computed["sme"], partner=computed["startup"])
    return services.suggestion_accept(user=computed["team"], suggestion=suggestion)


def test_contacts_are_exchanged_only_when_both_said_yes(client, computed):
    match = _accepted_match(computed)
    sides = {side.organisation_id: side for side in match.sides.all()}
    startup_mail, sme_mail = computed["owner_startup"].email, computed["owner_sme"].email
    client.force_login(computed["owner_sme"])
    page = client.get(reverse("matching:my_matches")).content.decode()
    assert startup_mail not in page and "+49 351 123456" not in page  # proposed: no contact data
    services.match_respond(user=computed["owner_sme"], side=sides[computed["sme"].pk], accept=True)
    page = client.get(reverse("matching:my_matches")).content.decode()
    assert startup_mail not in page  # only one side said yes
    services.match_respond(user=computed["owner_startup"], side=sides[computed["startup"].pk], accept=True)
    page = client.get(reverse("matching:my_matches")).content.decode()
    assert startup_mail in page and "+49 351 123456" in page and "Nächster Schritt" in page
    assert f"mailto:{sme_mail}" not in page  # one's own contact is not listed as the partner
    client.force_login(computed["owner_startup"])
    page = client.get(reverse("matching:my_matches")).content.decode()
    assert sme_mail in page
    client.force_login(computed["outsider"])  # not part of the match: nothing
    assert startup_mail not in client.get(reverse("matching:my_matches")).content.decode()


def test_a_declined_match_exchanges_no_contacts(client, computed):
    match = _accepted_match(computed)
    sides = {side.organisation_id: side for side in match.sides.all()}
    services.match_respond(user=computed["owner_sme"], side=sides[computed["sme"].pk], accept=True)
    services.match_respond(user=computed["owner_startup"], side=sides[computed["startup"].pk], accept=False)
    client.force_login(computed["owner_sme"])
    page = client.get(reverse("matching:my_matches")).content.decode()
    assert computed["owner_startup"].email not in page and "+49 351 123456" not in page


def test_the_invitation_mail_renders_the_reasons_in_the_recipients_language(computed, mailoutbox,
                                                                         django_capture_on_commit_callbacks):
    computed["owner_startup"].language = "en"
    computed["owner_startup"].save()
    with django_capture_on_commit_callbacks(execute=True):
        _accepted_match(computed)
    bodies = {m.to[0]: m.body for m in mailoutbox}
    assert "Bedarf „" in bodies[computed["owner_sme"].email] or "Angebot „" in bodies[computed["owner_sme"].email]
    english = bodies[computed["owner_startup"].email]
    assert ("Need “" in english or "Offer “" in english) and "Bedarf" not in english


def test_queue_pages_through_the_shared_pagination_include(client, computed):
    programme = recompute.programme_default()
    _many_suggestions(programme)
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    first = client.get(url, {"art": "sme"})
    body = first.content.decode()
    assert 'class="pagination"' in body and 'rel="next"' in body and 'rel="prev"' not in body
    assert "href=\"?art=sme&amp;seite=2\"" in body  # the filters stay in the page links
    second = client.get(url, {"art": "sme", "seite": 2}).content.decode()
    assert 'rel="prev"' in second and "Seite 2" in second and " von " not in second.split('class="pagination"')[1][:400]


def test_a_queue_card_is_one_tab_stop_with_its_actions_in_a_details_group(client, computed):
    """Every link, button and field of a card sits inside its <details>: a collapsed card
    has one focus target (the summary)."""
    import re

    client.force_login(computed["team"])
    body = client.get(reverse("matching:queue")).content.decode()
    cards = re.findall(r'<li class="card" id="vorschlag-\d+">(.*?)</li>\s*(?=<li class="card"|</ol>)', body, re.S)
    assert len(cards) >= 2
    for card in cards:
        outside = re.sub(r"<details.*?</details>", "", card, flags=re.S)
        assert not re.search(r"<(a|button|input|select|textarea)\b", outside), outside
        assert card.count("<summary>") == 1


def test_a_decision_through_htmx_fills_the_gap_with_the_next_card(client, computed):
    """After a decision the page is not one short: the card that moved up from the next
    page is appended (out of band, same filters); the last page appends nothing."""
    programme = recompute.programme_default()
    _many_suggestions(programme)
    client.force_login(computed["team"])
    url = reverse("matching:queue")
    params = {"suche": "Lang", "seite": 1}
    page = client.get(url, params)
    shown = [s.pk for s in page.context["queue"]]
    following = client.get(url, {**params, "seite": 2}).context["queue"][0]
    response = client.post(reverse("matching:decide", args=[shown[0]]),
                           {"action": "snooze", "days": 5, "zurueck": page.context["here"]}, HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert body.startswith("<li") and f'id="vorschlag-{shown[0]}"' in body and "zurückgestellt" in body
    oob = body.split('<ol hx-swap-oob="beforeend:#queue">', 1)[1]
    assert f'id="vorschlag-{following.pk}"' in oob and following.pk not in shown
    assert client.get(url, params).context["queue"][-1].pk == following.pk  # what a reload shows
    # On the last page there is nothing to move up.
    last = client.get(url, {"suche": "Lang", "seite": 3})
    assert not last.context["has_next"]
    response = client.post(reverse("matching:decide", args=[last.context["queue"][0].pk]),
                           {"action": "snooze", "days": 5, "zurueck": last.context["here"]}, HTTP_HX_REQUEST="true")
    assert "hx-swap-oob" not in response.content.decode()
