import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError

from matchwerk.matching import selectors, services
from matchwerk.matching.enums import MatchStatus, SuggestionStatus
from matchwerk.matching.models import Decision, Match, Suggestion


def _suggested(programme, organisation):
    return [s.partner for s in Suggestion.objects.filter(programme=programme, organisation=organisation)]


def test_recompute_suggests_the_fitting_partner_with_reasons(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggested = _suggested(programme, network["sme"])
    assert suggested[0] == network["startup"]
    first = Suggestion.objects.get(programme=programme, organisation=network["sme"], partner=network["startup"])
    assert first.rank == 1 and 0 <= first.score <= 1
    code = first.reasons[0]
    assert code["code"] == "need_offer"
    needer, offerer = (("sme", "startup") if code["direction"] == "need" else ("startup", "sme"))
    assert code["need_id"] in set(network[needer].needs.values_list("pk", flat=True))
    assert code["offer_id"] in set(network[offerer].offers.values_list("pk", flat=True))


def test_recompute_never_self_never_without_consent_only_allowed_kinds(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    for suggestion in Suggestion.objects.select_related("organisation", "partner"):
        assert suggestion.organisation_id != suggestion.partner_id
        assert network["hidden"].pk not in (suggestion.organisation_id, suggestion.partner_id)
        assert programme.allows(suggestion.organisation.kind, suggestion.partner.kind)
    # sme × sme is not a pair the default programme makes
    assert network["other_sme"] not in _suggested(programme, network["sme"])


def test_rejected_pair_is_never_suggested_again(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggestion = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"])
    services.suggestion_reject(user=network["team"], suggestion=suggestion, reason="kennen sich schon")
    services.suggestions_recompute(programme=programme)
    for a, b in [("sme", "startup"), ("startup", "sme")]:
        assert not Suggestion.objects.filter(organisation=network[a], partner=network[b],
                                             status=SuggestionStatus.OPEN).exists()
    assert (min(network["sme"].pk, network["startup"].pk), max(network["sme"].pk, network["startup"].pk)) \
        in selectors.excluded_pairs(programme=programme)


def test_reject_needs_a_reason(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggestion = Suggestion.objects.filter(programme=programme).first()
    with pytest.raises(ValidationError):
        services.suggestion_reject(user=network["team"], suggestion=suggestion, reason="  ")


def test_participant_cannot_decide(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggestion = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"])
    with pytest.raises(PermissionDenied):
        services.suggestion_accept(user=network["owner_sme"], suggestion=suggestion)
    assert not Match.objects.exists() and not Decision.objects.exists()


def test_double_opt_in_both_accept_makes_an_active_match(network, django_capture_on_commit_callbacks):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggestion = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"])
    with django_capture_on_commit_callbacks(execute=True):
        match = services.suggestion_accept(user=network["team"], suggestion=suggestion)
    assert match.status == MatchStatus.PROPOSED
    recipients = sorted(address for message in mail.outbox for address in message.to)
    assert recipients == sorted([network["owner_sme"].email, network["owner_startup"].email])
    assert "Buchbar Digital" in next(m.body for m in mail.outbox if network["owner_sme"].email in m.to)
    sides = {side.organisation_id: side for side in match.sides.all()}
    with pytest.raises(PermissionDenied):
        services.match_respond(user=network["owner_sme"], side=sides[network["startup"].pk], accept=True)
    services.match_respond(user=network["owner_sme"], side=sides[network["sme"].pk], accept=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.PROPOSED
    services.match_respond(user=network["owner_startup"], side=sides[network["startup"].pk], accept=True)
    match.refresh_from_db()
    assert match.status == MatchStatus.ACTIVE and match.confirmed_at is not None
    with pytest.raises(ValidationError):
        services.match_respond(user=network["owner_startup"], side=sides[network["startup"].pk], accept=False)


def test_one_decline_declines_the_match_and_the_pair_is_not_suggested_again(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    suggestion = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"])
    match = services.suggestion_accept(user=network["team"], suggestion=suggestion)
    side = match.sides.get(organisation=network["startup"])
    services.match_respond(user=network["owner_startup"], side=side, accept=False)
    match.refresh_from_db()
    assert match.status == MatchStatus.DECLINED
    services.suggestions_recompute(programme=programme)
    assert network["startup"] not in [s.partner for s in selectors.suggestions_for_organisation(
        organisation=network["sme"]) if s.status == SuggestionStatus.OPEN]


def test_snoozed_pair_leaves_the_queue(network):
    programme = services.programme_default()
    services.suggestions_recompute(programme=programme)
    queue = selectors.review_queue(programme=programme)
    target = queue[0]
    services.suggestion_snooze(user=network["team"], suggestion=target, days=7)
    pairs = {frozenset((s.organisation_id, s.partner_id)) for s in selectors.review_queue(programme=programme)}
    assert frozenset((target.organisation_id, target.partner_id)) not in pairs


def test_outcomes_feed_the_engine_priors(network):
    programme = services.programme_default()
    assert selectors.kind_pair_outcomes(programme=programme) == {}
    services.suggestions_recompute(programme=programme)
    before = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"]).score
    creative = Suggestion.objects.filter(organisation=network["sme"], partner=network["creative"]).first()
    suggestion = Suggestion.objects.get(organisation=network["other_sme"], partner=network["startup"])
    services.suggestion_reject(user=network["team"], suggestion=suggestion, reason="passt nicht")
    outcomes = selectors.kind_pair_outcomes(programme=programme)
    assert outcomes == {frozenset(("sme", "startup")): (0, 1)}
    services.suggestions_recompute(programme=programme)
    # The engine's prior: 0.8 + 0.4 · (0 + 1) / (0 + 1 + 2) on sme × startup pairs only.
    after = Suggestion.objects.get(organisation=network["sme"], partner=network["startup"]).score
    assert after == pytest.approx(before * (0.8 + 0.4 / 3), abs=2e-4)
    if creative is not None:
        assert Suggestion.objects.get(pk=creative.pk).score == pytest.approx(creative.score, abs=1e-4)
