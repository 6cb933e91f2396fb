"""Grants and payments (the coordinator's decisions validate with the grant pages' forms)."""

from __future__ import annotations

from decimal import Decimal

from rest_framework import serializers

from matchwerk.api.serializers.base import FormValidated
from matchwerk.programmes.grants.forms import ApproveForm, PaymentForm, RequestChangesForm
from matchwerk.programmes.grants.models import CostLine, Grant, Payment

MONEY = {"max_digits": 12, "decimal_places": 2}


class CostLineSerializer(serializers.ModelSerializer):
    class Meta:
        model = CostLine
        fields = ["position", "description", "amount"]
        read_only_fields = fields


class PaymentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Payment
        fields = ["id", "grant", "paid_on", "amount", "reference", "recorded_at"]
        read_only_fields = fields


class GrantSerializer(serializers.ModelSerializer):
    cost_lines = CostLineSerializer(many=True, read_only=True)
    payments = PaymentSerializer(many=True, read_only=True)
    paid = serializers.DecimalField(read_only=True, help_text="Sum of the payments (EUR).", **MONEY)

    class Meta:
        model = Grant
        fields = ["id", "programme", "match", "purpose", "status", "amount_requested", "amount_approved", "paid",
                  "staff_note", "applied_at", "decided_at", "cost_lines", "payments"]
        read_only_fields = fields


class GrantApproveSerializer(FormValidated):
    """``programmes.grants.forms.ApproveForm``: the approved amount (EUR) and a note to the match."""

    form_class = ApproveForm
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    note = serializers.CharField(required=False, allow_blank=True, max_length=2000)


class GrantChangesSerializer(FormValidated):
    """``programmes.grants.forms.RequestChangesForm``: what the match should change."""

    form_class = RequestChangesForm
    note = serializers.CharField(max_length=2000)


class PaymentCreateSerializer(FormValidated):
    """``programmes.grants.forms.PaymentForm``: money paid on an approved grant."""

    form_class = PaymentForm
    grant = serializers.PrimaryKeyRelatedField(queryset=Grant.objects.none())
    paid_on = serializers.DateField()
    amount = serializers.DecimalField(min_value=Decimal("0.01"), **MONEY)
    reference = serializers.CharField(max_length=140)

    def __init__(self, *args, grants=None, **kwargs):
        super().__init__(*args, **kwargs)
        if grants is not None:
            self.fields["grant"].queryset = grants
