"""Events, registrations and check-ins."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceFilter
from matchwerk.api.serializers import events as s
from matchwerk.api.views.base import ReadViewSet, ScopedViewSet, WriteMixin
from matchwerk.events import rules, selectors, services
from matchwerk.events.enums import EventFormat, EventStatus, RegistrationStatus
from matchwerk.events.forms import RegistrationForm
from matchwerk.events.models import Event, Registration
from matchwerk.profiles.models import Organisation


class EventFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="region_id")
    format = django_filters.ChoiceFilter(choices=EventFormat.choices)
    status = django_filters.ChoiceFilter(choices=EventStatus.choices)
    topic = django_filters.NumberFilter(field_name="topics")
    programme = django_filters.NumberFilter(field_name="programme_id")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")
    starts_before = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="lt")
    changed_since = ChangedSinceFilter(field_name="updated_at")

    class Meta:
        model = Event
        fields = ["region", "format", "status", "topic", "programme", "starts_after", "starts_before",
                  "changed_since"]


WRITE = dict(request=s.EventWriteSerializer, responses=s.EventSerializer)


@extend_schema_view(create=extend_schema(request=s.EventWriteSerializer, responses={201: s.EventSerializer}),
                    update=extend_schema(**WRITE), partial_update=extend_schema(**WRITE))
class EventViewSet(WriteMixin, mixins.CreateModelMixin, ReadViewSet):
    """Published, closed and cancelled events; drafts too for the network's staff, who
    also create, edit, publish, close and cancel them."""

    model = Event
    scope = scopes.events_visible
    serializer_class = s.EventSerializer
    write_serializer_class = s.EventWriteSerializer
    filterset_class = EventFilter
    create_rule = staticmethod(rules.can_manage_events)
    edit_rule = staticmethod(rules.can_edit_event)
    http_method_names = ["get", "post", "put", "patch", "head", "options"]

    def optimise(self, queryset):
        return queryset.select_related("region").prefetch_related("topics").annotate(
            confirmed=Count("registrations", filter=Q(registrations__status=RegistrationStatus.CONFIRMED)),
            waiting=Count("registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)),
        ).order_by("starts_at", "pk")

    def perform_service_create(self, serializer):
        self.require(rules.can_manage_events, self.request.user)
        data = serializer.cleaned
        return services.event_create(actor=self.request.user, topics=data["topics"], organisers=data["organisers"],
                                     **serializer.form.service_fields())

    def perform_service_update(self, serializer, event):
        self.require(rules.can_edit_event, self.request.user, event)
        data = serializer.cleaned
        services.event_update(actor=self.request.user, event=event, topics=data["topics"],
                              organisers=data["organisers"], **serializer.form.service_fields())

    def _status_change(self, service, **kwargs):
        event = self.get_object()
        service(actor=self.request.user, event=event, **kwargs)
        return self.read(self.get_queryset().get(pk=event.pk))

    @extend_schema(request=None, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        self.require(rules.can_edit_event, request.user, self.get_object())
        return self._status_change(services.event_publish)

    @extend_schema(request=None, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        self.require(rules.can_edit_event, request.user, self.get_object())
        return self._status_change(services.event_close)

    @extend_schema(request=s.EventCancelSerializer, responses=s.EventSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        self.require(rules.can_edit_event, request.user, self.get_object())
        serializer = s.EventCancelSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        return self._status_change(services.event_cancel, reason=serializer.validated_data.get("reason", ""))


class RegistrationFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=RegistrationStatus.choices)
    checked_in = django_filters.BooleanFilter(field_name="checked_in_at", lookup_expr="isnull", exclude=True)
    changed_since = ChangedSinceFilter(field_name="status_changed_at")

    class Meta:
        model = Registration
        fields = ["event", "status", "checked_in", "changed_since"]


@extend_schema_view(create=extend_schema(request=s.RegistrationCreateSerializer,
                                         responses={201: s.RegistrationSerializer}))
class RegistrationViewSet(ReadViewSet):
    """One's own registrations; all of an event's for its staff. Creating one registers
    the token's user (like the button on the event page)."""

    model = Registration
    scope = scopes.registrations_visible
    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilter

    def optimise(self, queryset):
        return queryset.order_by("event_id", "status_changed_at", "pk")

    def create(self, request, *args, **kwargs):
        user = request.user
        serializer = s.RegistrationCreateSerializer(data=request.data, events=scopes.events_visible(user))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        event = data["event"]
        self.require(rules.can_register_for_event, user, event)
        organisations = Organisation.objects.filter(people__user=user).distinct()
        answers = data.get("answers") or {}
        form = RegistrationForm(data={"organisation": data.get("organisation") or "",
                                      **{f"frage_{key}": value for key, value in answers.items()}},
                                event=event, organisations=organisations)
        if not form.is_valid():
            raise serializers.ValidationError({
                ("answers" if name.startswith("frage_") else name): list(errors) for name, errors in form.errors.items()})
        invitation = selectors.registration_of_user(event=event, user=user)
        if invitation is not None and invitation.status == RegistrationStatus.INVITED:
            registration = services.registration_respond(
                actor=user, registration=invitation, accept=not data.get("decline"),
                organisation=form.cleaned_data["organisation"], answers=form.answers())
        else:
            if data.get("decline"):
                raise serializers.ValidationError({"decline": [_("Es gibt keine Einladung, die Sie ablehnen könnten.")]})
            registration = services.registration_create(
                actor=user, event=event, organisation=form.cleaned_data["organisation"], answers=form.answers())
        return self.read(registration, code=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=s.RegistrationSerializer)
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        registration = self.get_object()
        self.require(rules.can_change_registration, request.user, registration)
        registration = services.registration_cancel(actor=request.user, registration=registration)
        return self.read(registration)


class CheckInViewSet(mixins.ListModelMixin, ScopedViewSet):
    """Check-ins at the door (the event's staff): the list is of checked-in registrations."""

    model = Registration
    scope = scopes.checkins_visible
    serializer_class = s.RegistrationSerializer
    filterset_class = RegistrationFilter

    def optimise(self, queryset):
        return queryset.order_by("-checked_in_at", "pk")

    @extend_schema(request=s.CheckInSerializer, responses={201: s.CheckInResultSerializer,
                                                           200: s.CheckInResultSerializer})
    def create(self, request, *args, **kwargs):
        if not scopes.events_staffed(request.user).exists():
            raise PermissionDenied
        serializer = s.CheckInSerializer(data=request.data, events=scopes.events_staffed(request.user))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.require(rules.can_edit_event, request.user, data["event"])
        result = services.registration_check_in(actor=request.user, event=data["event"], code=data.get("code", ""),
                                                registration_id=data.get("registration"))
        body = s.CheckInResultSerializer({"already": result.already, "registration": result.registration},
                                         context=self.get_serializer_context()).data
        return Response(body, status=status.HTTP_200_OK if result.already else status.HTTP_201_CREATED)
