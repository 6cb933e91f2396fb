"""Grants: apply, ask for changes, approve within the budget, pay, proof of use; every
change audited, exact decimals; denied paths."""

from __future__ import annotations

import io
from datetime import timedelta
from decimal import Decimal

import pytest
from django.utils import translation
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image
from programme_world import grant_world, ready_match

from matchwerk.core.models import AccessLog
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import StageChange
from matchwerk.programmes.grants import services
from matchwerk.programmes.grants.enums import GrantStatus, ProofStatus
from matchwerk.programmes.grants.selectors import budget_summary

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def german():
    """Messages and labels are asserted in German, whatever language an earlier test left active."""
    with translation.override("de"):
        yield


def _apply(world, match=None, member=None, lines=(("Material", "1200.50"), ("Werkstattmiete", "799.50"))):
    return services.grant_apply(actor=member or world.member, match=match or world.match,
                                purpose="Prototyp eines Möbels aus Reststoffen", cost_lines=list(lines))


def _png(name="beleg.png") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def test_apply_sums_the_cost_plan_exactly():
    world = grant_world()
    grant = _apply(world, lines=[("A", "0.10"), ("B", "0.20"), ("C", "1999,70")])
    assert grant.amount_requested == Decimal("2000.00")
    assert [line.amount for line in grant.cost_lines.all()] == [Decimal("0.10"), Decimal("0.20"), Decimal("1999.70")]
    assert grant.status == GrantStatus.APPLIED
    assert AccessLog.objects.filter(action="matchwerk.programmes.grant.applied", object_id=str(grant.pk)).exists()


def test_apply_refuses_more_than_the_grant_per_match_and_empty_plans():
    world = grant_world()
    with pytest.raises(ValidationError, match="höchstens 2500.00 EUR"):
        _apply(world, lines=[("Alles", "2500.01")])
    with pytest.raises(ValidationError, match="mindestens eine Position"):
        _apply(world, lines=[])
    with pytest.raises(ValidationError, match="kein Betrag"):
        _apply(world, lines=[("A", "zwölf")])


def test_only_the_match_members_apply():
    world = grant_world()
    for actor in (world.outsider, world.other_coordinator):
        with pytest.raises(PermissionDenied):
            _apply(world, member=actor)


def test_changes_requested_then_applied_again():
    world = grant_world()
    grant = _apply(world)
    services.grant_request_changes(actor=world.coordinator, grant=grant, note="Bitte die Miete aufschlüsseln.")
    grant.refresh_from_db()
    assert grant.status == GrantStatus.CHANGES_REQUESTED
    with pytest.raises(ValidationError):
        services.grant_approve(actor=world.coordinator, grant=grant)
    grant = _apply(world, lines=[("Material", "1200.50"), ("Miete März", "400.00"), ("Miete April", "399.50")])
    assert grant.status == GrantStatus.APPLIED and grant.cost_lines.count() == 3
    assert AccessLog.objects.filter(action="matchwerk.programmes.grant.reapplied").count() == 1


def test_approve_moves_the_match_to_grant_approved_and_is_audited():
    world = grant_world()
    grant = services.grant_approve(actor=world.coordinator, grant=_apply(world))
    world.match.refresh_from_db()
    assert grant.amount_approved == Decimal("2000.00")
    assert world.match.stage == MatchStage.GRANT_APPROVED
    assert StageChange.objects.filter(match=world.match, to_stage=MatchStage.GRANT_APPROVED,
                                      changed_by=world.coordinator).exists()
    entry = AccessLog.objects.get(action="matchwerk.programmes.grant.approved")
    assert entry.actor == world.coordinator and entry.data["approved"] == "2000.00"
    summary = budget_summary(programme=world.programme)
    assert (summary.total, summary.approved, summary.remaining) == (
        Decimal("10000.00"), Decimal("2000.00"), Decimal("8000.00"))


def test_approving_never_exceeds_the_budget():
    world = grant_world(budget="5000.00")
    grants = [_apply(world)]  # 2,000.00
    for _ in range(2):
        match, member = ready_match(world)
        grants.append(_apply(world, match=match, member=member, lines=[("Material", "2500.00")]))
    services.grant_approve(actor=world.coordinator, grant=grants[0])
    services.grant_approve(actor=world.coordinator, grant=grants[1])      # 4,500.00 of 5,000.00
    with pytest.raises(ValidationError, match="500.00 EUR sind noch frei") as refused:
        services.grant_approve(actor=world.coordinator, grant=grants[2])
    assert refused.value.error_list[0].code == "budget_exceeded"
    grants[2].refresh_from_db()
    assert grants[2].status == GrantStatus.APPLIED
    assert grants[2].match.stage == MatchStage.KICKOFF  # the refused approval moved nothing
    services.grant_approve(actor=world.coordinator, grant=grants[2], amount="500.00")  # exactly the rest
    assert budget_summary(programme=world.programme).remaining == Decimal("0.00")


def test_a_refused_stage_move_rolls_the_approval_back():
    world = grant_world()
    match, member = ready_match(world)
    grant = _apply(world, match=match, member=member)
    from matchwerk.matching.services import match_stage_change

    match_stage_change(actor=None, match=match, stage=MatchStage.ENDED, reason="aufgegeben", system=True)
    with pytest.raises(ValidationError):
        services.grant_approve(actor=world.coordinator, grant=grant)
    grant.refresh_from_db()
    assert grant.status == GrantStatus.APPLIED
    assert not AccessLog.objects.filter(action="matchwerk.programmes.grant.approved").exists()


def test_who_decides():
    world = grant_world()
    grant = _apply(world)
    from factories import make_team_member

    team = make_team_member(programme=world.programme)
    for actor in (world.member, world.outsider, world.other_coordinator, team):
        with pytest.raises(PermissionDenied):
            services.grant_approve(actor=actor, grant=grant)
        with pytest.raises(PermissionDenied):
            services.grant_request_changes(actor=actor, grant=grant, note="x")


def test_payments_never_exceed_the_approved_amount():
    world = grant_world()
    grant = services.grant_approve(actor=world.coordinator, grant=_apply(world), amount="1500.00")
    today = timezone.localdate()
    services.payment_record(actor=world.coordinator, grant=grant, paid_on=today, amount="1000.00", reference="ZA-1")
    with pytest.raises(ValidationError, match="höchstens 500.00 EUR"):
        services.payment_record(actor=world.coordinator, grant=grant, paid_on=today, amount="500.01",
                                reference="ZA-2")
    services.payment_record(actor=world.coordinator, grant=grant, paid_on=today, amount="500.00", reference="ZA-2")
    assert grant.paid_total() == Decimal("1500.00")
    assert budget_summary(programme=world.programme).paid == Decimal("1500.00")
    with pytest.raises(ValidationError, match="Zukunft"):
        services.payment_record(actor=world.coordinator, grant=grant, paid_on=today + timedelta(days=1),
                                amount="1", reference="x")
    with pytest.raises(PermissionDenied):
        services.payment_record(actor=world.other_coordinator, grant=grant, paid_on=today, amount="1", reference="x")
    assert AccessLog.objects.filter(action="matchwerk.programmes.payment.recorded").count() == 2


def test_no_payment_before_approval():
    world = grant_world()
    with pytest.raises(ValidationError, match="nur auf bewilligte"):
        services.payment_record(actor=world.coordinator, grant=_apply(world), paid_on=timezone.localdate(),
                                amount="1", reference="x")


def test_proof_of_use_with_receipts_checked(settings, tmp_path):
    settings.RECEIPTS_ROOT = tmp_path
    world = grant_world()
    grant = services.grant_approve(actor=world.coordinator, grant=_apply(world))
    pdf = SimpleUploadedFile("Rechnung Holz.pdf", b"%PDF-1.4\n% test\n", content_type="application/pdf")
    proof = services.proof_submit(actor=world.member, grant=grant, report="Der Prototyp steht.", files=[pdf, _png()])
    assert proof.status == ProofStatus.SUBMITTED
    receipts = list(proof.receipts.all())
    assert [r.content_type for r in receipts] == ["application/pdf", "image/png"]
    assert receipts[0].original_name == "Rechnung_Holz.pdf" and receipts[0].file.name.endswith(".pdf")
    assert receipts[0].file.read() == b"%PDF-1.4\n% test\n"
    with pytest.raises(PermissionDenied):
        services.proof_check(actor=world.other_coordinator, proof=proof, accept=True)
    services.proof_check(actor=world.coordinator, proof=proof, accept=False, note="Beleg 2 unleserlich")
    proof.refresh_from_db()
    assert proof.status == ProofStatus.CHANGES_REQUESTED
    services.proof_submit(actor=world.member, grant=grant, report="Der Prototyp steht. Neuer Beleg.", files=[_png()])
    services.proof_check(actor=world.coordinator, proof=proof, accept=True)
    proof.refresh_from_db()
    assert proof.status == ProofStatus.ACCEPTED and proof.receipts.count() == 3
    actions = set(AccessLog.objects.values_list("action", flat=True))
    assert {"matchwerk.programmes.proof.submitted", "matchwerk.programmes.proof.returned",
            "matchwerk.programmes.proof.accepted"} <= actions


def test_receipts_are_checked_by_content_and_size(settings, tmp_path):
    settings.RECEIPTS_ROOT = tmp_path
    settings.RECEIPT_MAX_BYTES = 100
    world = grant_world()
    grant = services.grant_approve(actor=world.coordinator, grant=_apply(world))
    script = SimpleUploadedFile("beleg.pdf", b"<script>alert(1)</script>", content_type="application/pdf")
    with pytest.raises(ValidationError, match="PDF, PNG oder JPEG"):
        services.proof_submit(actor=world.member, grant=grant, report="x", files=[script])
    big = SimpleUploadedFile("gross.pdf", b"%PDF-" + b"0" * 200, content_type="application/pdf")
    with pytest.raises(ValidationError, match="zu groß"):
        services.proof_submit(actor=world.member, grant=grant, report="x", files=[big])
    assert not list(tmp_path.rglob("*.*"))  # nothing stored from a refused submission
    with pytest.raises(PermissionDenied):
        services.proof_submit(actor=world.outsider, grant=grant, report="x", files=[])
