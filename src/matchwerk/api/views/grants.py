"""Grants and payments: read by the match's members and the staff who see the match;
decided and paid by its coordinators (``programmes.grants.rules.can_decide_grant``)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import status
from rest_framework.decorators import action

from matchwerk.accounts.rules import is_admin, is_coordinator
from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceAnyFilter
from matchwerk.api.serializers import grants as s
from matchwerk.api.views.base import ReadViewSet
from matchwerk.programmes.grants import services
from matchwerk.programmes.grants.enums import GrantStatus
from matchwerk.programmes.grants.models import Grant, Payment
from matchwerk.programmes.grants.rules import can_decide_grant


class GrantFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id")
    match = django_filters.NumberFilter(field_name="match_id")
    status = django_filters.ChoiceFilter(choices=GrantStatus.choices)
    region = django_filters.NumberFilter(field_name="match__sides__organisation__region_id", distinct=True)
    changed_since = ChangedSinceAnyFilter(fields=("applied_at", "decided_at"))

    class Meta:
        model = Grant
        fields = ["programme", "match", "status", "region", "changed_since"]


class GrantViewSet(ReadViewSet):
    """A match's grant with its cost plan and payments. Coordinators of the match (and
    administrators) approve or ask for changes, like on the grant's staff page."""

    model = Grant
    scope = scopes.grants_visible
    serializer_class = s.GrantSerializer
    filterset_class = GrantFilter

    def optimise(self, queryset):
        return queryset.prefetch_related("cost_lines", "payments").order_by("-applied_at", "-pk")

    def read(self, obj, *, code=status.HTTP_200_OK):
        obj = self.get_queryset().get(pk=obj.pk)
        return super().read(obj, code=code)

    def _decide(self, serializer_class, decide):
        grant = self.get_object()
        self.require(can_decide_grant, self.request.user, grant)  # before the body is read
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        decide(grant, serializer.cleaned)
        return self.read(grant)

    @extend_schema(request=s.GrantApproveSerializer, responses=s.GrantSerializer)
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve the amount within the programme's budget (the match moves to "grant approved")."""
        return self._decide(s.GrantApproveSerializer, lambda grant, data: services.grant_approve(
            actor=request.user, grant=grant, amount=data["amount"], note=data["note"]))

    @extend_schema(request=s.GrantChangesSerializer, responses=s.GrantSerializer)
    @action(detail=True, methods=["post"], url_path="request-changes", url_name="request-changes")
    def request_changes(self, request, pk=None):
        return self._decide(s.GrantChangesSerializer, lambda grant, data: services.grant_request_changes(
            actor=request.user, grant=grant, note=data["note"]))


class PaymentFilter(django_filters.FilterSet):
    grant = django_filters.NumberFilter(field_name="grant_id")
    programme = django_filters.NumberFilter(field_name="grant__programme_id")
    changed_since = django_filters.IsoDateTimeFilter(field_name="recorded_at", lookup_expr="gte",
                                                     label="Changed at or after (ISO 8601 date-time)")

    class Meta:
        model = Payment
        fields = ["grant", "programme", "changed_since"]


class PaymentViewSet(ReadViewSet):
    """Payments on grants (shown with the grant); coordinators record them."""

    model = Payment
    scope = scopes.payments_visible
    serializer_class = s.PaymentSerializer
    filterset_class = PaymentFilter

    def optimise(self, queryset):
        return queryset.order_by("paid_on", "pk")

    @extend_schema(request=s.PaymentCreateSerializer, responses={201: s.PaymentSerializer})
    def create(self, request, *args, **kwargs):
        user = request.user
        if not (is_admin.test(user) or is_coordinator.test(user)):  # only they decide grants: 403 before the body
            raise PermissionDenied
        serializer = s.PaymentCreateSerializer(data=request.data, grants=scopes.grants_visible(user),
                                               context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        grant = serializer.validated_data["grant"]
        self.require(can_decide_grant, user, grant)
        data = serializer.cleaned
        payment = services.payment_record(actor=user, grant=grant, paid_on=data["paid_on"], amount=data["amount"],
                                          reference=data["reference"])
        return self.read(payment, code=status.HTTP_201_CREATED)
