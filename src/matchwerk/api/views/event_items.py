"""An event's programme (sessions), event ideas and the live wall."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, status
from rest_framework.decorators import action
from rest_framework.response import Response

from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceAnyFilter
from matchwerk.api.serializers import events as s
from matchwerk.api.views.base import ReadViewSet
from matchwerk.events import rules, services
from matchwerk.events.enums import EventFormat, IdeaStatus, SessionKind, WallPostStatus
from matchwerk.events.models import EventIdea, Session
from matchwerk.events.wall_models import WallPost


class SessionFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    kind = django_filters.ChoiceFilter(choices=SessionKind.choices)
    region = django_filters.NumberFilter(field_name="event__region_id")
    starts_after = django_filters.IsoDateTimeFilter(field_name="starts_at", lookup_expr="gte")

    class Meta:
        model = Session
        fields = ["event", "kind", "region", "starts_after"]


@extend_schema_view(create=extend_schema(request=s.SessionWriteSerializer, responses={201: s.SessionSerializer}))
class SessionViewSet(mixins.DestroyModelMixin, ReadViewSet):
    """The programme of the events one may see; the event's staff add and delete items."""

    model = Session
    scope = scopes.sessions_visible
    serializer_class = s.SessionSerializer
    filterset_class = SessionFilter
    http_method_names = ["get", "post", "delete", "head", "options"]

    def optimise(self, queryset):
        return queryset.order_by("event_id", "starts_at", "room", "pk")

    def create(self, request, *args, **kwargs):
        if not rules.can_manage_events(request.user):
            raise PermissionDenied
        serializer = s.SessionWriteSerializer(data=request.data, events=scopes.events_staffed(request.user),
                                              context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        event = serializer.validated_data["event"]
        self.require(rules.can_edit_event, request.user, event)
        session = services.session_add(actor=request.user, event=event, **serializer.form.cleaned_data)
        return self.read(session, code=status.HTTP_201_CREATED)

    def destroy(self, request, *args, **kwargs):
        session = self.get_object()
        self.require(rules.can_edit_event, request.user, session.event)
        services.session_delete(actor=request.user, session=session)
        return Response(status=status.HTTP_204_NO_CONTENT)


class IdeaFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(choices=IdeaStatus.choices)
    format = django_filters.ChoiceFilter(choices=EventFormat.choices)
    region = django_filters.NumberFilter(field_name="region_id")
    topic = django_filters.NumberFilter(field_name="topics")
    changed_since = ChangedSinceAnyFilter(fields=("created_at", "decided_at"))

    class Meta:
        model = EventIdea
        fields = ["status", "format", "region", "topic", "changed_since"]


@extend_schema_view(create=extend_schema(request=s.IdeaWriteSerializer, responses={201: s.IdeaSerializer}))
class IdeaViewSet(ReadViewSet):
    """One's own event ideas; the ideas of their scope for staff, who decide on them."""

    model = EventIdea
    scope = scopes.ideas_visible
    serializer_class = s.IdeaSerializer
    filterset_class = IdeaFilter

    def optimise(self, queryset):
        return queryset.prefetch_related("topics").order_by("-created_at", "-pk").distinct()

    def create(self, request, *args, **kwargs):
        if not rules.can_submit_idea(request.user):
            raise PermissionDenied
        serializer = s.IdeaWriteSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        idea = services.idea_submit(actor=request.user, topics=serializer.cleaned["topics"],
                                    **serializer.form.service_fields())
        return self.read(self.get_queryset().get(pk=idea.pk), code=status.HTTP_201_CREATED)

    @extend_schema(request=s.IdeaDecisionSerializer, responses=s.IdeaSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        """Accept (a draft event is made; see ``event``), ask for changes, or decline."""
        idea = self.get_object()
        self.require(rules.can_review_idea, request.user, idea)  # before the body is read
        serializer = s.IdeaDecisionSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        data = serializer.cleaned
        if data["action"] == "accept":
            services.idea_accept(actor=request.user, idea=idea, message=data["message"],
                                 **serializer.form.event_fields())
        elif data["action"] == "changes":
            services.idea_request_changes(actor=request.user, idea=idea, message=data["message"])
        else:
            services.idea_decline(actor=request.user, idea=idea, message=data["message"])
        return self.read(self.get_queryset().get(pk=idea.pk))


class WallPostFilter(django_filters.FilterSet):
    event = django_filters.NumberFilter(field_name="event_id")
    status = django_filters.ChoiceFilter(choices=WallPostStatus.choices)
    changed_since = ChangedSinceAnyFilter(fields=("created_at", "moderated_at"))

    class Meta:
        model = WallPost
        fields = ["event", "status", "changed_since"]


@extend_schema_view(create=extend_schema(request=s.WallPostWriteSerializer, responses={201: s.WallPostSerializer}))
class WallPostViewSet(ReadViewSet):
    """The live wall: participants read the approved posts of their events and post; the
    event's staff see every post and moderate (approve or hide)."""

    model = WallPost
    scope = scopes.wall_posts_visible
    serializer_class = s.WallPostSerializer
    filterset_class = WallPostFilter

    def optimise(self, queryset):
        return queryset.order_by("-created_at", "-pk")

    def create(self, request, *args, **kwargs):
        serializer = s.WallPostWriteSerializer(data=request.data, events=scopes.events_visible(request.user),
                                               context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        post = services.wall_post_create(actor=request.user, event=serializer.validated_data["event"],
                                         text=serializer.validated_data["text"])
        return self.read(post, code=status.HTTP_201_CREATED)

    @extend_schema(request=s.WallModerationSerializer, responses=s.WallPostSerializer)
    @action(detail=True, methods=["post"])
    def moderate(self, request, pk=None):
        """Approve a post (it appears on the wall) or hide it (gone from every view)."""
        post = self.get_object()
        self.require(rules.can_moderate_wall, request.user, post.event)  # before the body is read
        serializer = s.WallModerationSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        services.wall_post_moderate(actor=request.user, post=post, status=serializer.validated_data["status"])
        return self.read(post)
