"""Writes of grants. Every change is audited (``log_event``); amounts are exact ``Decimal``
EUR rounded to cents.

**Approving can never exceed the budget**: ``grant_approve`` locks the programme row
(``select_for_update``) first, then sums the approved grants and approves inside the same
transaction, so two concurrent approvals are serialised on the programme row and the
second sees the first one's amount (on SQLite the IMMEDIATE transaction serialises them).
"""

from __future__ import annotations

from datetime import date
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Sum
from django.utils import timezone
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from matchwerk.core.audit import log_event
from matchwerk.core.uploads import image_format
from matchwerk.matching.enums import MatchStatus
from matchwerk.programmes.grants import stages
from matchwerk.programmes.grants.enums import COST_LINES_MAX, RECEIPT_TYPES, RECEIPTS_PER_PROOF, GrantStatus, ProofStatus
from matchwerk.programmes.grants.models import CENT, CostLine, Grant, Payment, ProofOfUse, Receipt
from matchwerk.programmes.grants.rules import can_apply_for_grant, can_decide_grant, can_submit_proof
from matchwerk.programmes.grants.selectors import ZERO, grant_ceiling, programme_budget
from matchwerk.programmes.models import Programme


def money(value) -> Decimal:
    """``value`` as EUR with two places (half up); a clear error for anything else."""
    try:
        amount = Decimal(str(value).strip().replace(",", ".")) if not isinstance(value, Decimal) else value
    except (InvalidOperation, ValueError):
        raise ValidationError(_("„%(value)s“ ist kein Betrag.") % {"value": value}, code="not_money") from None
    if not amount.is_finite():
        raise ValidationError(_("„%(value)s“ ist kein Betrag.") % {"value": value}, code="not_money")
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _eur(amount: Decimal | None) -> str:
    return "" if amount is None else f"{amount:.2f}"


def grant_apply(*, actor, match, purpose: str, cost_lines: list[tuple[str, object]]) -> Grant:
    """The match applies (or applies again after changes were asked for): what the money is
    for and a cost plan of (item, amount) lines; their sum is the requested amount."""
    if not can_apply_for_grant.test(actor, match):
        raise PermissionDenied
    purpose = (purpose or "").strip()
    lines = [(description.strip(), money(amount)) for description, amount in cost_lines
             if (description or "").strip() or str(amount or "").strip()]
    errors = []
    if not purpose:
        errors.append(_("Bitte beschreiben Sie, wofür das Geld gebraucht wird."))
    if not lines:
        errors.append(_("Der Kostenplan braucht mindestens eine Position."))
    if len(lines) > COST_LINES_MAX:
        errors.append(_("Höchstens %(count)d Positionen im Kostenplan.") % {"count": COST_LINES_MAX})
    if any(not description for description, _amount in lines):
        errors.append(_("Jede Position braucht eine Bezeichnung."))
    if any(amount <= ZERO for _description, amount in lines):
        errors.append(_("Jeder Betrag muss größer als 0 sein."))
    total = sum((amount for _description, amount in lines), ZERO)
    if not match.programme.funds_matches:
        raise ValidationError(_("Dieses Programm fördert Matches nicht."))
    if total > grant_ceiling(match.programme):
        errors.append(_("Beantragt sind %(total)s EUR; je Match sind höchstens %(ceiling)s EUR möglich.")
                      % {"total": _eur(total), "ceiling": _eur(grant_ceiling(match.programme))})
    if match.status != MatchStatus.ACTIVE:
        errors.append(_("Eine Förderung kann erst beantragt werden, wenn beide Seiten dem Match zugestimmt haben."))
    if errors:
        raise ValidationError(errors)
    with transaction.atomic():
        grant = Grant.objects.select_for_update().filter(match=match).first()
        if grant is not None and grant.status == GrantStatus.APPROVED:
            raise ValidationError(_("Die Förderung ist bereits bewilligt."))
        verb = "applied" if grant is None else "reapplied"
        if grant is None:
            grant = Grant(match=match, programme=match.programme)
        grant.purpose, grant.amount_requested = purpose, total
        grant.status, grant.applied_by, grant.applied_at = GrantStatus.APPLIED, actor, timezone.now()
        grant.full_clean()
        grant.save()
        grant.cost_lines.all().delete()
        CostLine.objects.bulk_create([CostLine(grant=grant, position=i, description=d[:200], amount=a)
                                      for i, (d, a) in enumerate(lines)])
        log_event(f"matchwerk.programmes.grant.{verb}", grant,
                  {"match": match.pk, "requested": _eur(total), "lines": len(lines)}, actor=actor)
    return grant


def grant_request_changes(*, actor, grant: Grant, note: str) -> Grant:
    """The coordinator asks the match to change its application (the note says what)."""
    if not can_decide_grant.test(actor, grant):
        raise PermissionDenied
    note = (note or "").strip()
    if not note:
        raise ValidationError(_("Bitte schreiben Sie, was geändert werden soll."))
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.APPLIED:
            raise ValidationError(_("Nur ein offener Antrag kann zurückgegeben werden."))
        grant.status, grant.staff_note = GrantStatus.CHANGES_REQUESTED, note[:2000]
        grant.decided_by, grant.decided_at = actor, timezone.now()
        grant.save(update_fields=["status", "staff_note", "decided_by", "decided_at"])
        log_event("matchwerk.programmes.grant.changes_requested", grant, {"match": grant.match_id}, actor=actor)
    return grant


def grant_approve(*, actor, grant: Grant, amount=None, note: str = "") -> Grant:
    """Approve ``amount`` (default: the requested sum) within the programme's budget and
    move the match to "grant approved". Refused when the approved grants of the programme
    plus this one would exceed the budget — checked after locking the programme row."""
    if not can_decide_grant.test(actor, grant):
        raise PermissionDenied
    with transaction.atomic():
        programme = Programme.objects.select_for_update().get(pk=grant.programme_id)
        grant = Grant.objects.select_for_update().select_related("match").get(pk=grant.pk)
        if grant.status != GrantStatus.APPLIED:
            raise ValidationError(_("Nur ein offener Antrag kann bewilligt werden."))
        amount = grant.amount_requested if amount in (None, "") else money(amount)
        budget = programme_budget(programme)
        if budget is None:
            raise ValidationError(_("Dieses Programm hat kein Budget für Förderungen."))
        if amount <= ZERO:
            raise ValidationError(_("Der bewilligte Betrag muss größer als 0 sein."))
        if amount > grant_ceiling(programme):
            raise ValidationError(_("Je Match sind höchstens %(ceiling)s EUR möglich.")
                                  % {"ceiling": _eur(grant_ceiling(programme))})
        approved = Grant.objects.filter(programme=programme, status=GrantStatus.APPROVED).aggregate(
            total=Sum("amount_approved"))["total"] or ZERO
        if approved + amount > budget:
            raise ValidationError(
                _("Das Budget reicht nicht: %(remaining)s EUR sind noch frei, bewilligt werden sollten %(amount)s EUR.")
                % {"remaining": _eur(budget - approved), "amount": _eur(amount)}, code="budget_exceeded")
        grant.status, grant.amount_approved = GrantStatus.APPROVED, amount
        grant.staff_note = (note or "").strip()[:2000]
        grant.decided_by, grant.decided_at = actor, timezone.now()
        grant.save(update_fields=["status", "amount_approved", "staff_note", "decided_by", "decided_at"])
        log_event("matchwerk.programmes.grant.approved", grant,
                  {"match": grant.match_id, "approved": _eur(amount), "programme_approved": _eur(approved + amount),
                   "budget": _eur(budget)}, actor=actor)
        stages.match_to_grant_approved(actor=actor, match=grant.match, amount=_eur(amount))
    return grant


def payment_record(*, actor, grant: Grant, paid_on: date, amount, reference: str) -> Payment:
    """Record money paid on an approved grant; the payments never exceed the approved amount."""
    if not can_decide_grant.test(actor, grant):
        raise PermissionDenied
    amount, reference = money(amount), (reference or "").strip()
    if not reference:
        raise ValidationError(_("Bitte geben Sie ein Buchungszeichen oder einen Verwendungszweck an."))
    if amount <= ZERO:
        raise ValidationError(_("Der Betrag muss größer als 0 sein."))
    if paid_on is None or paid_on > timezone.localdate():
        raise ValidationError(_("Das Zahlungsdatum darf nicht in der Zukunft liegen."))
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.APPROVED:
            raise ValidationError(_("Zahlungen gibt es nur auf bewilligte Förderungen."))
        paid = grant.paid_total()
        if paid + amount > grant.amount_approved:
            raise ValidationError(_("Bewilligt sind %(approved)s EUR, gezahlt %(paid)s EUR: höchstens %(left)s EUR "
                                    "können noch gezahlt werden.")
                                  % {"approved": _eur(grant.amount_approved), "paid": _eur(paid),
                                     "left": _eur(grant.amount_approved - paid)}, code="overpaid")
        payment = Payment(grant=grant, paid_on=paid_on, amount=amount, reference=reference[:140], recorded_by=actor)
        payment.full_clean()
        payment.save()
        log_event("matchwerk.programmes.payment.recorded", payment,
                  {"grant": grant.pk, "amount": _eur(amount), "paid_on": paid_on.isoformat(),
                   "grant_paid": _eur(paid + amount)}, actor=actor)
    return payment


def receipt_by_content(upload) -> tuple[str, str]:
    """(extension, content type) of an uploaded receipt, detected from its content (never
    from its name); a clear error for a file too large or of another kind."""
    if upload.size > settings.RECEIPT_MAX_BYTES:
        raise ValidationError(_("„%(name)s“ ist zu groß (höchstens %(mb)d MB).")
                              % {"name": upload.name, "mb": settings.RECEIPT_MAX_BYTES // (1024 * 1024)},
                              code="receipt_too_large")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    detected = "PDF" if head.startswith(b"%PDF-") else image_format(upload)
    if detected not in RECEIPT_TYPES:
        raise ValidationError(_("„%(name)s“: Belege bitte als PDF, PNG oder JPEG hochladen.") % {"name": upload.name},
                              code="receipt_format")
    return RECEIPT_TYPES[detected]


def proof_submit(*, actor, grant: Grant, report: str, files=()) -> ProofOfUse:
    """The match submits (or resubmits) its proof of use: a short report and receipts."""
    if not can_submit_proof.test(actor, grant):
        raise PermissionDenied
    report = (report or "").strip()
    if not report:
        raise ValidationError(_("Bitte schreiben Sie einen kurzen Bericht."))
    types = [receipt_by_content(upload) for upload in files]  # all checked before anything is stored
    with transaction.atomic():
        grant = Grant.objects.select_for_update().get(pk=grant.pk)
        if grant.status != GrantStatus.APPROVED:
            raise ValidationError(_("Ein Verwendungsnachweis ist erst nach der Bewilligung möglich."))
        proof = ProofOfUse.objects.filter(grant=grant).first()
        if proof is not None and proof.status == ProofStatus.ACCEPTED:
            raise ValidationError(_("Der Verwendungsnachweis ist bereits anerkannt."))
        existing = proof.receipts.count() if proof is not None else 0
        if existing + len(types) > RECEIPTS_PER_PROOF:
            raise ValidationError(_("Höchstens %(count)d Belege je Nachweis.") % {"count": RECEIPTS_PER_PROOF})
        if proof is None:
            proof = ProofOfUse(grant=grant)
        proof.report, proof.status = report, ProofStatus.SUBMITTED
        proof.submitted_by, proof.submitted_at = actor, timezone.now()
        proof.full_clean()
        proof.save()
        stored: list[str] = []
        try:
            for upload, (extension, content_type) in zip(files, types, strict=True):
                original = get_valid_filename(upload.name.rsplit("/", 1)[-1])[:200] or f"beleg.{extension}"
                upload.name = f"beleg.{extension}"
                receipt = Receipt(proof=proof, file=upload, original_name=original, content_type=content_type,
                                  size=upload.size)
                receipt.save()
                stored.append(receipt.file.name)
        except Exception:
            storage = Receipt._meta.get_field("file").storage
            for name in stored:  # the rows roll back; their files must not stay behind
                storage.delete(name)
            raise
        log_event("matchwerk.programmes.proof.submitted", proof,
                  {"grant": grant.pk, "receipts_added": len(stored), "receipts": existing + len(stored)}, actor=actor)
    return proof


def proof_check(*, actor, proof: ProofOfUse, accept: bool, note: str = "") -> ProofOfUse:
    """The coordinator accepts the proof of use or asks for more (the note says what)."""
    if not can_decide_grant.test(actor, proof.grant):
        raise PermissionDenied
    note = (note or "").strip()
    if not accept and not note:
        raise ValidationError(_("Bitte schreiben Sie, was am Nachweis fehlt."))
    with transaction.atomic():
        proof = ProofOfUse.objects.select_for_update().get(pk=proof.pk)
        if proof.status != ProofStatus.SUBMITTED:
            raise ValidationError(_("Nur ein eingereichter Nachweis kann geprüft werden."))
        proof.status = ProofStatus.ACCEPTED if accept else ProofStatus.CHANGES_REQUESTED
        proof.check_note, proof.checked_by, proof.checked_at = note[:2000], actor, timezone.now()
        proof.save(update_fields=["status", "check_note", "checked_by", "checked_at"])
        log_event(f"matchwerk.programmes.proof.{'accepted' if accept else 'returned'}", proof,
                  {"grant": proof.grant_id}, actor=actor)
    return proof
