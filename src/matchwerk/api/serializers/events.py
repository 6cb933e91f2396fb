"""Events, registrations and check-ins."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchwerk.api.serializers.base import FormValidated, ModelFormValidated, StrictSerializer
from matchwerk.events.forms import EventForm, IdeaDecisionForm, IdeaForm, SessionForm
from matchwerk.events.models import Event, EventIdea, Registration, Session
from matchwerk.events.wall_models import WALL_POST_MAX_CHARS, WallPost
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


class SessionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Session
        fields = ["id", "event", "kind", "title", "description", "starts_at", "ends_at", "room", "capacity"]
        read_only_fields = fields


class SessionWriteSerializer(ModelFormValidated):
    """An item of the event's programme (``events.forms.SessionForm``; the service checks
    that it lies within the event)."""

    form_class = SessionForm
    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        if events is not None:
            self.fields["event"].queryset = events

    class Meta:
        model = Session
        fields = ["event", "kind", "title", "description", "starts_at", "ends_at", "room", "capacity"]


class IdeaSerializer(serializers.ModelSerializer):
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        model = EventIdea
        fields = ["id", "title", "description", "format", "topics", "region", "target_groups", "partners",
                  "place_and_time", "gain", "status", "message", "event", "created_at", "decided_at"]
        read_only_fields = fields


class IdeaWriteSerializer(ModelFormValidated):
    """Propose an event (``events.forms.IdeaForm``); the staff decide."""

    form_class = IdeaForm
    topics = serializers.PrimaryKeyRelatedField(many=True, queryset=Topic.objects.all(), required=False)

    class Meta:
        model = EventIdea
        fields = ["title", "description", "format", "topics", "region", "target_groups", "partners",
                  "place_and_time", "gain"]


class IdeaDecisionSerializer(FormValidated):
    """The staff's decision (``events.forms.IdeaDecisionForm``): ``accept`` makes a draft
    event (``starts_at``, ``ends_at`` and ``capacity`` required), ``changes`` and ``decline``
    need a ``message`` to the submitter."""

    form_class = IdeaDecisionForm
    action = serializers.ChoiceField(choices=["accept", "changes", "decline"])
    message = serializers.CharField(required=False, allow_blank=True, max_length=2000)
    starts_at = serializers.DateTimeField(required=False, allow_null=True)
    ends_at = serializers.DateTimeField(required=False, allow_null=True)
    venue_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    capacity = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    programme = serializers.IntegerField(required=False, allow_null=True, min_value=1)

    def form_kwargs(self) -> dict:
        return {"user": self.context["request"].user}


class WallPostSerializer(serializers.ModelSerializer):
    # The photo itself is served only by the wall's pages (permission-checked, private).
    has_photo = serializers.SerializerMethodField()

    class Meta:
        model = WallPost
        fields = ["id", "event", "author_name", "text", "has_photo", "status", "created_at", "moderated_at"]
        read_only_fields = fields

    def get_has_photo(self, post) -> bool:
        return bool(post.photo)


class WallPostWriteSerializer(StrictSerializer):
    """A post on the event's live wall (``events.services.wall_post_create``: confirmed
    participants and the event's staff of a published event; shown at once or after the
    staff's approval, as the event's moderation says)."""

    event = serializers.PrimaryKeyRelatedField(queryset=Event.objects.none())
    text = serializers.CharField(max_length=WALL_POST_MAX_CHARS)

    def __init__(self, *args, events=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["event"].queryset = events if events is not None else Event.objects.none()


class WallModerationSerializer(StrictSerializer):
    status = serializers.ChoiceField(choices=["approved", "hidden"],
                                     help_text="approved: shown on the wall; hidden: gone from every view.")
