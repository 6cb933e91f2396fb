"""Meeting requests, meeting plan versions and meetings; the rounds' table plans."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from matchwerk.api.serializers.base import FormValidated, StrictSerializer
from matchwerk.events.models import Event, Registration
from matchwerk.meetings.enums import Priority
from matchwerk.meetings.forms import RequestForm
from matchwerk.meetings.models import Meeting, MeetingRequest, PlanVersion
from matchwerk.rounds.models import Plan as RoundPlan
from matchwerk.rounds.models import Seat as RoundSeat
from matchwerk.rounds.rules import can_plan_rounds


class PersonSerializer(serializers.ModelSerializer):
    """A participant as other participants see her at the meetings: name and organisation."""

    organisation_name = serializers.CharField(source="organisation_label", read_only=True)

    class Meta:
        model = Registration
        fields = ["id", "name", "organisation", "organisation_name"]
        read_only_fields = fields


class MeetingRequestSerializer(serializers.ModelSerializer):
    requester = PersonSerializer(read_only=True)
    receiver = PersonSerializer(read_only=True)

    class Meta:
        model = MeetingRequest
        fields = ["id", "event", "requester", "receiver", "message", "priority", "status", "created_at",
                  "answered_at"]
        read_only_fields = fields


class MeetingRequestCreateSerializer(FormValidated):
    """Ask another participant of the event for a 1:1 meeting (``meetings.forms.RequestForm``);
    ``receiver`` is her registration's id (from ``/meetings/`` or the event's participants)."""

    form_class = RequestForm
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    receiver = serializers.IntegerField(min_value=1)
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False, default=Priority.WOULD_LIKE)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        if events is not None:
            self.fields["event"].queryset = events


class MeetingRequestUpdateSerializer(FormValidated):
    """The requester changes message or priority while the request is open."""

    form_class = RequestForm
    message = serializers.CharField(required=False, allow_blank=True, max_length=1000)
    priority = serializers.ChoiceField(choices=Priority.choices, required=False)


class MeetingAnswerSerializer(StrictSerializer):
    accept = serializers.BooleanField(help_text="true: accept (the meeting may be planned); false: decline.")


class PlanVersionSerializer(serializers.ModelSerializer):
    meetings = serializers.IntegerField(source="meeting_count", read_only=True)

    class Meta:
        model = PlanVersion
        fields = ["id", "event", "number", "status", "figures", "meetings", "created_at", "released_at"]
        read_only_fields = fields


class MeetingSerializer(serializers.ModelSerializer):
    event = serializers.IntegerField(source="version.event_id", read_only=True)
    version_number = serializers.IntegerField(source="version.number", read_only=True)
    starts_at = serializers.DateTimeField(source="slot.starts_at", read_only=True)
    ends_at = serializers.DateTimeField(source="slot.ends_at", read_only=True)
    requester = PersonSerializer(source="request.requester", read_only=True)
    receiver = PersonSerializer(source="request.receiver", read_only=True)

    class Meta:
        model = Meeting
        fields = ["id", "event", "version", "version_number", "request", "starts_at", "ends_at", "table", "locked",
                  "requester", "receiver"]
        read_only_fields = fields


class RoundSeatSerializer(serializers.ModelSerializer):
    name = serializers.CharField(source="registration.name", read_only=True)

    class Meta:
        model = RoundSeat
        fields = ["round", "table", "registration", "name", "side", "topic", "host"]
        read_only_fields = fields


class RoundPlanSerializer(serializers.ModelSerializer):
    seats = serializers.SerializerMethodField(help_text="Every seat for the event's staff; a participant's own.")

    class Meta:
        model = RoundPlan
        fields = ["id", "event", "kind", "rounds", "figures", "created_at", "released_at", "based_on", "seats"]
        read_only_fields = fields

    @extend_schema_field(RoundSeatSerializer(many=True))
    def get_seats(self, plan) -> list[dict]:
        user = self.context["request"].user
        seats = list(plan.seats.all())
        if not can_plan_rounds(user, plan.event):
            seats = [seat for seat in seats if seat.registration.user_id == user.pk]
        return RoundSeatSerializer(seats, many=True).data
