"""Programmes, suggestions and matches."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matchwerk.api.serializers.base import StrictSerializer
from matchwerk.core.limits import JOURNAL_ENTRY_MAX_CHARS
from matchwerk.matching.enums import MatchStage
from matchwerk.matching.models import JournalEntry, Match, MatchSide, Suggestion
from matchwerk.matching.reasons import render_all, topic_labels
from matchwerk.profiles.models import Organisation
from matchwerk.programmes.models import Programme


class ProgrammeSerializer(serializers.ModelSerializer):
    regions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    kind_pairs = serializers.ListField(child=serializers.ListField(child=serializers.CharField()), read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "name", "slug", "description", "regions", "kind_pairs", "is_active"]
        read_only_fields = fields


class OrganisationRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = Organisation
        fields = ["id", "name", "kind", "region"]
        read_only_fields = fields


class SuggestionSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)
    partner = OrganisationRefSerializer(read_only=True)
    reasons = serializers.SerializerMethodField()

    class Meta:
        model = Suggestion
        fields = ["id", "programme", "organisation", "partner", "score", "rank", "reasons", "status",
                  "snoozed_until", "computed_at", "is_stale"]
        read_only_fields = fields

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_reasons(self, suggestion) -> list[str]:
        labels = self.context.setdefault("_topic_labels", topic_labels())
        return render_all(suggestion.reasons, labels)


class DecisionSerializer(StrictSerializer):
    """The matching team's decision, as in the review queue."""

    action = serializers.ChoiceField(choices=["accept", "reject", "snooze"])
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   help_text="Required when rejecting.")
    days = serializers.IntegerField(required=False, min_value=1, max_value=365, default=14,
                                    help_text="Snooze for this many days.")


class DecisionResultSerializer(serializers.Serializer):
    action = serializers.CharField()
    match = serializers.IntegerField(allow_null=True, help_text="The proposed match (accept).")


class MatchSideSerializer(serializers.ModelSerializer):
    organisation = OrganisationRefSerializer(read_only=True)

    class Meta:
        model = MatchSide
        fields = ["id", "organisation", "answer", "answered_at"]
        read_only_fields = fields


class MatchSerializer(serializers.ModelSerializer):
    sides = MatchSideSerializer(many=True, read_only=True)

    class Meta:
        model = Match
        fields = ["id", "programme", "status", "stage", "stage_changed_at", "sides", "created_at", "confirmed_at"]
        read_only_fields = fields


class MatchAnswerSerializer(StrictSerializer):
    accept = serializers.BooleanField()
    organisation = serializers.IntegerField(required=False, min_value=1,
                                            help_text="Your side's organisation (when you act for both).")


class MatchStageSerializer(StrictSerializer):
    """Move the match one stage on (staff who accompany it; the programme's rules decide
    which moves are allowed)."""

    stage = serializers.ChoiceField(choices=MatchStage.choices)
    note = serializers.CharField(required=False, allow_blank=True, max_length=500)
    reason = serializers.CharField(required=False, allow_blank=True, max_length=300,
                                   help_text="Required when ending the match.")


class JournalEntrySerializer(serializers.ModelSerializer):
    class Meta:
        model = JournalEntry
        fields = ["id", "match", "author", "written_at", "visibility", "text"]
        read_only_fields = fields


class JournalEntryCreateSerializer(StrictSerializer):
    """A note in the match's journal; ``staff`` (visible only to coordination and team) is
    for the match's staff."""

    match = serializers.PrimaryKeyRelatedField(queryset=Match.objects.none())
    text = serializers.CharField(max_length=JOURNAL_ENTRY_MAX_CHARS)
    visibility = serializers.ChoiceField(choices=JournalEntry.Visibility.choices, required=False,
                                         default=JournalEntry.Visibility.MATCH)

    def __init__(self, *args, matches=None, **kwargs):
        super().__init__(*args, **kwargs)
        if matches is not None:
            self.fields["match"].queryset = matches
