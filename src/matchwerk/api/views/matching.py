"""Programmes, suggestions (read; staff decide) and matches (read; organisations answer)."""

from __future__ import annotations

import django_filters
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from drf_spectacular.utils import extend_schema, extend_schema_view
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers, status
from rest_framework.decorators import action
from rest_framework.response import Response

from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceFilter
from matchwerk.api.serializers import matching as s
from matchwerk.api.views.base import ReadViewSet
from matchwerk.matching import services
from matchwerk.matching.enums import MatchStage, MatchStatus, SuggestionStatus
from matchwerk.matching.models import JournalEntry, Match, MatchSide, Suggestion
from matchwerk.matching.rules import can_change_match, can_respond_to_match, can_review_suggestion, can_write_journal
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.programmes.models import Programme


class ProgrammeViewSet(ReadViewSet):
    """Active programmes the user works in (staff)."""

    model = Programme
    scope = scopes.programmes_visible
    serializer_class = s.ProgrammeSerializer
    filterset_class = None

    def optimise(self, queryset):
        return queryset.prefetch_related("regions")


class SuggestionFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id")
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices)
    region = django_filters.NumberFilter(field_name="organisation__region_id")
    kind = django_filters.ChoiceFilter(field_name="organisation__kind", choices=OrganisationKind.choices)
    changed_since = ChangedSinceFilter(field_name="computed_at")

    class Meta:
        model = Suggestion
        fields = ["programme", "organisation", "status", "region", "kind", "changed_since"]


class SuggestionViewSet(ReadViewSet):
    """An organisation's own suggestions; the suggestions a member of staff reviews."""

    model = Suggestion
    scope = scopes.suggestions_visible
    serializer_class = s.SuggestionSerializer
    filterset_class = SuggestionFilter

    def optimise(self, queryset):
        return queryset.select_related("organisation", "partner").order_by("-score", "pk")

    @extend_schema(request=s.DecisionSerializer, responses=s.DecisionResultSerializer)
    @action(detail=True, methods=["post"])
    def decide(self, request, pk=None):
        suggestion = self.get_object()
        self.require(can_review_suggestion, request.user, suggestion)  # before the body is read
        serializer = s.DecisionSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        match = None
        if data["action"] == "accept":
            match = services.suggestion_accept(user=request.user, suggestion=suggestion)
        elif data["action"] == "reject":
            services.suggestion_reject(user=request.user, suggestion=suggestion, reason=data.get("reason", ""))
        else:
            services.suggestion_snooze(user=request.user, suggestion=suggestion, days=data["days"])
        return Response(s.DecisionResultSerializer({"action": data["action"], "match": match.pk if match else None}).data)


class MatchFilter(django_filters.FilterSet):
    programme = django_filters.NumberFilter(field_name="programme_id")
    status = django_filters.ChoiceFilter(choices=MatchStatus.choices)
    stage = django_filters.ChoiceFilter(choices=MatchStage.choices)
    organisation = django_filters.NumberFilter(field_name="sides__organisation_id")
    changed_since = ChangedSinceFilter(field_name="stage_changed_at")

    class Meta:
        model = Match
        fields = ["programme", "status", "stage", "organisation", "changed_since"]


class MatchViewSet(ReadViewSet):
    """Matches of the user's organisations; those a member of staff sees."""

    model = Match
    scope = scopes.matches_visible
    serializer_class = s.MatchSerializer
    filterset_class = MatchFilter

    def optimise(self, queryset):
        return queryset.prefetch_related(
            Prefetch("sides", queryset=MatchSide.objects.select_related("organisation").order_by("pk"))
        ).order_by("-created_at", "pk").distinct()

    @extend_schema(request=s.MatchAnswerSerializer, responses=s.MatchSerializer)
    @action(detail=True, methods=["post"])
    def respond(self, request, pk=None):
        """Answer the invitation for the side of an organisation you act for (double opt-in)."""
        match = self.get_object()
        if not any(can_respond_to_match.test(request.user, side) for side in match.sides.all()):
            raise PermissionDenied
        serializer = s.MatchAnswerSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        sides = [side for side in match.sides.all() if can_respond_to_match.test(request.user, side)
                 and data.get("organisation") in (None, side.organisation_id)]
        if not sides:
            raise PermissionDenied
        if len(sides) > 1:
            raise serializers.ValidationError({"organisation": [_("Bitte nennen Sie die Organisation Ihrer Seite.")]})
        services.match_respond(user=request.user, side=sides[0], accept=data["accept"])
        return self.read(self.get_queryset().get(pk=match.pk))

    @extend_schema(request=s.MatchStageSerializer, responses=s.MatchSerializer)
    @action(detail=True, methods=["post"])
    def stage(self, request, pk=None):
        """Move the match to another stage (``matching.services.match_stage_change``)."""
        match = self.get_object()
        self.require(can_change_match, request.user, match)
        serializer = s.MatchStageSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        services.match_stage_change(actor=request.user, match=match, stage=data["stage"], note=data.get("note", ""),
                                    reason=data.get("reason", ""))
        return self.read(self.get_queryset().get(pk=match.pk))


class JournalFilter(django_filters.FilterSet):
    match = django_filters.NumberFilter(field_name="match_id")
    programme = django_filters.NumberFilter(field_name="match__programme_id")
    visibility = django_filters.ChoiceFilter(choices=JournalEntry.Visibility.choices)
    changed_since = ChangedSinceFilter(field_name="written_at")

    class Meta:
        model = JournalEntry
        fields = ["match", "programme", "visibility", "changed_since"]


@extend_schema_view(create=extend_schema(request=s.JournalEntryCreateSerializer,
                                         responses={201: s.JournalEntrySerializer}))
class JournalEntryViewSet(ReadViewSet):
    """A match's journal: its staff read and write every entry (also staff-only notes),
    its members the entries visible to the match (``matching.rules.can_write_journal``)."""

    model = JournalEntry
    scope = scopes.journal_visible
    serializer_class = s.JournalEntrySerializer
    filterset_class = JournalFilter

    def optimise(self, queryset):
        return queryset.order_by("-written_at", "-pk")

    def create(self, request, *args, **kwargs):
        user = request.user
        serializer = s.JournalEntryCreateSerializer(data=request.data, matches=scopes.matches_visible(user))
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        self.require(can_write_journal, user, data["match"])
        entry = services.journal_entry_add(actor=user, match=data["match"], text=data["text"],
                                           visibility=data["visibility"])
        return self.read(entry, code=status.HTTP_201_CREATED)
