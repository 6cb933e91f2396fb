"""Events, registrations and check-ins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchwerk.api.serializers.base import ModelFormValidated, StrictSerializer
from matchwerk.events.forms import EventForm
from matchwerk.events.models import Event, Registration
from matchwerk.profiles.models import Topic


class EventSerializer(serializers.ModelSerializer):
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    confirmed = serializers.IntegerField(read_only=True, help_text="Confirmed registrations.")
    waiting = serializers.IntegerField(read_only=True, help_text="Registrations on the waiting list.")

    class Meta:
        model = Event
        fields = ["id", "title", "format", "description", "status", "starts_at", "ends_at", "venue_name",
                  "venue_address", "venue_host", "online_url", "region", "programme", "capacity", "access",
                  "registration_deadline", "cancellation_deadline", "topics", "hashtag", "confirmed", "waiting",
                  "uid", "sequence", "published_at", "created_at", "updated_at"]
        read_only_fields = fields


class EventWriteSerializer(ModelFormValidated):
    """The staff's event form (``events.forms.EventForm``)."""

    form_class = EventForm
    topics = serializers.PrimaryKeyRelatedField(many=True, queryset=Topic.objects.all(), required=False)

    def form_kwargs(self) -> dict:
        return {"user": self.context["request"].user}

    class Meta:
        model = Event
        fields = ["title", "format", "description", "starts_at", "ends_at", "venue_name", "venue_address",
                  "venue_host", "online_url", "region", "programme", "capacity", "access", "registration_deadline",
                  "cancellation_deadline", "topics", "hashtag"]


class EventCancelSerializer(StrictSerializer):
    reason = serializers.CharField(required=False, allow_blank=True, max_length=1000)


class RegistrationSerializer(serializers.ModelSerializer):
    class Meta:
        model = Registration
        fields = ["id", "event", "user", "name", "email", "organisation", "organisation_name", "status", "answers",
                  "walk_in", "code", "created_at", "status_changed_at", "checked_in_at"]
        read_only_fields = fields


class RegistrationCreateSerializer(StrictSerializer):
    """Register the token's user (or answer her invitation): for one of her organisations
    (optional) with answers to the event's extra questions, keyed by question id."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    organisation = serializers.IntegerField(required=False, allow_null=True)
    answers = serializers.DictField(child=serializers.CharField(allow_blank=True, max_length=1000), required=False)
    decline = serializers.BooleanField(required=False, default=False,
                                       help_text="Decline an invitation instead of accepting it.")

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        if events is not None:
            self.fields["event"].queryset = events


class CheckInSerializer(StrictSerializer):
    """Check someone in by the code on her ticket, or by the registration's id."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    code = serializers.CharField(required=False, allow_blank=True, max_length=40)
    registration = serializers.IntegerField(required=False, min_value=1)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        if events is not None:
            self.fields["event"].queryset = events

    def validate(self, attrs):
        if not attrs.get("code", "").strip() and not attrs.get("registration"):
            raise serializers.ValidationError({"code": [_("Bitte geben Sie einen Code ein.")]})
        return attrs


class CheckInResultSerializer(serializers.Serializer):
    already = serializers.BooleanField(help_text="Checked in before: nothing changed.")
    registration = RegistrationSerializer()
