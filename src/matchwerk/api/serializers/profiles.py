"""Organisations with their needs, offers and topics; regions and topics."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_field
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from matchwerk.api.serializers.base import ModelFormValidated
from matchwerk.api.scopes import organisations_visible
from matchwerk.profiles.forms import NeedForm, OfferForm, OrganisationForm
from matchwerk.profiles.enums import OrganisationSize
from matchwerk.profiles.models import Need, Offer, Organisation, Region, Topic
from matchwerk.profiles.rules import acts_for


class RegionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Region
        fields = ["id", "name", "slug", "kind", "state", "latitude", "longitude"]


class TopicSerializer(serializers.ModelSerializer):
    class Meta:
        model = Topic
        fields = ["id", "slug", "name_de", "name_en"]


class StatementSerializer(serializers.ModelSerializer):
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)

    class Meta:
        fields = ["id", "organisation", "title", "description", "topics", "created_at", "updated_at"]
        read_only_fields = fields


class NeedSerializer(StatementSerializer):
    class Meta(StatementSerializer.Meta):
        model = Need


class OfferSerializer(StatementSerializer):
    class Meta(StatementSerializer.Meta):
        model = Offer


class OrganisationSerializer(serializers.ModelSerializer):
    topics = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    needs = NeedSerializer(many=True, read_only=True)
    offers = OfferSerializer(many=True, read_only=True)
    logo = serializers.SerializerMethodField()
    size = serializers.ChoiceField(choices=OrganisationSize.choices, allow_blank=True, read_only=True)

    class Meta:
        model = Organisation
        fields = ["id", "key", "kind", "name", "region", "town", "website", "size", "founded", "about", "logo",
                  "topics", "needs", "offers", "listed_in_directory", "open_for_matching", "created_at", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(serializers.URLField(allow_null=True))
    def get_logo(self, organisation) -> str | None:
        if not organisation.logo:
            return None
        request = self.context.get("request")
        return request.build_absolute_uri(organisation.logo.url) if request else organisation.logo.url


class OrganisationWriteSerializer(ModelFormValidated):
    """The profile form's fields; the two consents only from someone who acts for the
    organisation (on creation: the creator)."""

    form_class = OrganisationForm
    topics = serializers.PrimaryKeyRelatedField(many=True, queryset=Topic.objects.all(), required=False)
    consent_directory = serializers.BooleanField(required=False)
    consent_matching = serializers.BooleanField(required=False)

    class Meta:
        model = Organisation
        fields = ["kind", "name", "region", "town", "website", "size", "founded", "about", "topics",
                  "consent_directory", "consent_matching"]

    def with_consents(self) -> bool:
        user = self.context["request"].user
        return self.instance is None or acts_for.test(user, self.instance)

    def form_kwargs(self) -> dict:
        return {"with_consents": self.with_consents()}

    def validate(self, attrs):
        if not self.with_consents() and {"consent_directory", "consent_matching"} & set(attrs):
            raise serializers.ValidationError({"consent_directory": [
                _("Einwilligungen kann nur eine Person geben, die für die Organisation handelt.")]})
        if self.instance is not None and self.with_consents():
            attrs.setdefault("consent_directory", self.instance.listed_in_directory)
            attrs.setdefault("consent_matching", self.instance.open_for_matching)
        return super().validate(attrs)


class StatementWriteSerializer(ModelFormValidated):
    topics = serializers.PrimaryKeyRelatedField(many=True, queryset=Topic.objects.all(), required=False)
    organisation = serializers.PrimaryKeyRelatedField(queryset=Organisation.objects.none())

    class Meta:
        fields = ["organisation", "title", "description", "topics"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        request = self.context.get("request")
        if request is not None:
            self.fields["organisation"].queryset = organisations_visible(request.user)
        if self.instance is not None:
            self.fields["organisation"].read_only = True


class NeedWriteSerializer(StatementWriteSerializer):
    form_class = NeedForm

    class Meta(StatementWriteSerializer.Meta):
        model = Need


class OfferWriteSerializer(StatementWriteSerializer):
    form_class = OfferForm

    class Meta(StatementWriteSerializer.Meta):
        model = Offer
