"""Meeting requests (participants ask, accept, decline, withdraw: ``meetings.services``),
meeting plan versions and meetings (read), and the rounds' table plans (read)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status
from rest_framework.decorators import action

from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceAnyFilter
from matchwerk.api.serializers import meetings as s
from matchwerk.api.views.base import ReadViewSet
from matchwerk.meetings import rules, selectors, services
from matchwerk.meetings.enums import RequestStatus, VersionStatus
from matchwerk.meetings.models import Meeting, MeetingRequest, PlanVersion
from matchwerk.meetings.services.requests import own_registration
from matchwerk.rounds.enums import PlanKind
from matchwerk.rounds.models import Plan as RoundPlan
from matchwerk.rounds.models import Seat as RoundSeat


class MeetingRequestFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=RequestStatus.choices)
    changed_since = ChangedSinceAnyFilter(fields=("created_at", "answered_at"))

    class Meta:
        model = MeetingRequest
        fields = ["event", "status", "changed_since"]


@extend_schema_view(create=extend_schema(request=s.MeetingRequestCreateSerializer,
                                         responses={201: s.MeetingRequestSerializer}),
                    partial_update=extend_schema(request=s.MeetingRequestUpdateSerializer,
                                                 responses=s.MeetingRequestSerializer))
class MeetingRequestViewSet(ReadViewSet):
    """One's own requests (sent and received); all of an event's for its staff. Creating one
    asks another participant for a 1:1 meeting, as on the event's meetings page."""

    model = MeetingRequest
    scope = scopes.meeting_requests_visible
    serializer_class = s.MeetingRequestSerializer
    filterset_class = MeetingRequestFilter
    http_method_names = ["get", "post", "patch", "head", "options"]

    def optimise(self, queryset):
        return queryset.select_related("requester__organisation", "receiver__organisation") \
            .order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        user = request.user
        serializer = s.MeetingRequestCreateSerializer(data=request.data, events=scopes.events_visible(user),
                                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = serializer.validated_data["event"]
        me = own_registration(user=user, event=event)
        if me is None or not rules.can_take_part(user, me):
            raise PermissionDenied
        # only the event's participants as her meetings page lists them (no one else is found)
        receiver = selectors.participants(event=event).filter(pk=serializer.validated_data["receiver"]).first()
        if receiver is None:
            raise serializers.ValidationError({"receiver": [_("Diese Person nimmt nicht an dieser Veranstaltung teil.")]})
        data = serializer.cleaned
        created = services.request_create(actor=user, event=event, receiver=receiver, message=data["message"],
                                          priority=data["priority"])
        return self.read(self.get_queryset().get(pk=created.pk), code=status.HTTP_201_CREATED)

    def partial_update(self, request, *args, **kwargs):
        """The requester changes the message or the priority of an open request."""
        meeting_request = self.get_object()
        self.require(rules.can_change_request, request.user, meeting_request)  # before the body is read
        current = {"message": meeting_request.message, "priority": meeting_request.priority}
        serializer = s.MeetingRequestUpdateSerializer(data={**current, **request.data}
                                                      if isinstance(request.data, dict) else request.data,
                                                      context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.cleaned
        services.request_update(actor=request.user, request=meeting_request, message=data["message"],
                                priority=data["priority"])
        return self.read(self.get_queryset().get(pk=meeting_request.pk))

    @extend_schema(request=s.MeetingAnswerSerializer, responses=s.MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def answer(self, request, pk=None):
        """The receiver accepts or declines."""
        meeting_request = self.get_object()
        self.require(rules.can_answer_request, request.user, meeting_request)
        serializer = s.MeetingAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.request_answer(actor=request.user, request=meeting_request,
                                accept=serializer.validated_data["accept"])
        return self.read(self.get_queryset().get(pk=meeting_request.pk))

    @extend_schema(request=None, responses=s.MeetingRequestSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        """The requester withdraws an open request."""
        meeting_request = self.get_object()
        self.require(rules.can_change_request, request.user, meeting_request)
        services.request_withdraw(actor=request.user, request=meeting_request)
        return self.read(self.get_queryset().get(pk=meeting_request.pk))


class PlanVersionFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=VersionStatus.choices)
    changed_since = ChangedSinceAnyFilter(fields=("created_at", "released_at"))

    class Meta:
        model = PlanVersion
        fields = ["event", "status", "changed_since"]


class PlanVersionViewSet(ReadViewSet):
    """The versions of an event's meeting plan (the event's staff)."""

    model = PlanVersion
    scope = scopes.plan_versions_visible
    serializer_class = s.PlanVersionSerializer
    filterset_class = PlanVersionFilter

    def optimise(self, queryset):
        return queryset.annotate(meeting_count=Count("meetings")).order_by("event_id", "-number")


class MeetingFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="version__event_id")
    version = django_filters.NumberFilter(field_name="version_id")

    class Meta:
        model = Meeting
        fields = ["event", "version"]


class MeetingViewSet(ReadViewSet):
    """Meetings: a participant's own in the released plan; every version's for the event's staff."""

    model = Meeting
    scope = scopes.meetings_visible
    serializer_class = s.MeetingSerializer
    filterset_class = MeetingFilter

    def optimise(self, queryset):
        return queryset.select_related("version", "slot", "request__requester__organisation",
                                       "request__receiver__organisation").order_by("version_id", "slot__starts_at",
                                                                                    "table", "pk")


class RoundPlanFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    kind = django_filters.ChoiceFilter(choices=PlanKind.choices)
    changed_since = django_filters.IsoDateTimeFilter(field_name="created_at", lookup_expr="gte",
                                                     label="Changed at or after (ISO 8601 date-time)")

    class Meta:
        model = RoundPlan
        fields = ["event", "kind", "changed_since"]


class RoundPlanViewSet(ReadViewSet):
    """Table plans of speed-dating and table rounds: every seat for the event's staff; the
    current plan with her own seats for a confirmed participant."""

    model = RoundPlan
    scope = scopes.round_plans_visible
    serializer_class = s.RoundPlanSerializer
    filterset_class = RoundPlanFilter

    def optimise(self, queryset):
        return queryset.select_related("event").prefetch_related(
            Prefetch("seats", queryset=RoundSeat.objects.select_related("registration"))).order_by("-created_at", "-pk")
