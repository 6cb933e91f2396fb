"""Organisations, needs, offers, regions, topics."""

from __future__ import annotations

import django_filters
from django.db.models import Prefetch, Q
from drf_spectacular.utils import extend_schema, extend_schema_view

from matchwerk.api import scopes
from matchwerk.api.filters import ChangedSinceFilter
from matchwerk.api.serializers import profiles as s
from matchwerk.api.views.base import ReadViewSet, WriteMixin
from matchwerk.profiles import services
from matchwerk.profiles.enums import OrganisationKind
from matchwerk.profiles.models import Need, Offer, Organisation, Region, Topic
from matchwerk.profiles.rules import can_create_organisation, can_delete_organisation, can_edit_organisation


class OrganisationFilter(django_filters.FilterSet):
    region = django_filters.NumberFilter(field_name="region_id")
    kind = django_filters.ChoiceFilter(choices=OrganisationKind.choices)
    topic = django_filters.NumberFilter(method="filter_topic", label="Topic id (own, needs' or offers' topics)")
    changed_since = ChangedSinceFilter(field_name="updated_at")

    class Meta:
        model = Organisation
        fields = ["region", "kind", "topic", "changed_since"]

    def filter_topic(self, queryset, name, value):
        return queryset.filter(Q(topics=value) | Q(needs__topics=value) | Q(offers__topics=value)).distinct()


WRITE = dict(request=s.OrganisationWriteSerializer, responses={201: s.OrganisationSerializer})


@extend_schema_view(create=extend_schema(**WRITE), update=extend_schema(**WRITE),
                    partial_update=extend_schema(request=s.OrganisationWriteSerializer,
                                                 responses=s.OrganisationSerializer))
class OrganisationViewSet(WriteMixin, ReadViewSet):
    """Organisations the user may see: listed ones, her own, and (staff) those of her regions."""

    model = Organisation
    scope = scopes.organisations_visible
    serializer_class = s.OrganisationSerializer
    write_serializer_class = s.OrganisationWriteSerializer
    filterset_class = OrganisationFilter
    create_rule = can_create_organisation
    edit_rule = can_edit_organisation
    delete_rule = can_delete_organisation
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def optimise(self, queryset):
        return queryset.select_related("region").prefetch_related(
            "topics", Prefetch("needs", queryset=Need.objects.prefetch_related("topics")),
            Prefetch("offers", queryset=Offer.objects.prefetch_related("topics"))).order_by("name", "pk")

    def perform_service_create(self, serializer):
        self.require(can_create_organisation, self.request.user)
        data = serializer.cleaned
        return services.organisation_create(
            actor=self.request.user, topics=data["topics"], consent_directory=data["consent_directory"],
            consent_matching=data["consent_matching"], **serializer.form.profile_data())

    def perform_service_update(self, serializer, organisation):
        self.require(can_edit_organisation, self.request.user, organisation)
        data = serializer.cleaned
        services.organisation_update(
            actor=self.request.user, organisation=organisation, topics=data["topics"],
            consent_directory=data.get("consent_directory") if serializer.with_consents() else None,
            consent_matching=data.get("consent_matching") if serializer.with_consents() else None,
            **serializer.form.profile_data())

    def perform_service_destroy(self, organisation):
        self.require(can_delete_organisation, self.request.user, organisation)
        services.organisation_delete(actor=self.request.user, organisation=organisation)


class StatementFilter(django_filters.FilterSet):
    organisation = django_filters.NumberFilter(field_name="organisation_id")
    topic = django_filters.NumberFilter(field_name="topics")
    changed_since = ChangedSinceFilter(field_name="updated_at")


def _statements(model):
    def scope(user):
        return model.objects.filter(organisation__in=scopes.organisations_visible(user))
    return scope


class _StatementViewSet(WriteMixin, ReadViewSet):
    kind = ""
    edit_rule = delete_rule = staticmethod(lambda user, item: can_edit_organisation.test(user, item.organisation))
    http_method_names = ["get", "post", "put", "patch", "delete", "head", "options"]

    def optimise(self, queryset):
        return queryset.prefetch_related("topics").order_by("organisation_id", "pk")

    def perform_service_create(self, serializer):
        data = serializer.cleaned
        self.require(can_edit_organisation, self.request.user, serializer.validated_data["organisation"])
        return getattr(services, f"{self.kind}_create")(
            actor=self.request.user, organisation=serializer.validated_data["organisation"], title=data["title"],
            description=data["description"], topics=data["topics"])

    def perform_service_update(self, serializer, item):
        self.require(can_edit_organisation, self.request.user, item.organisation)
        data = serializer.cleaned
        getattr(services, f"{self.kind}_update")(actor=self.request.user, **{self.kind: item}, title=data["title"],
                                                 description=data["description"], topics=data["topics"])

    def perform_service_destroy(self, item):
        self.require(can_edit_organisation, self.request.user, item.organisation)
        getattr(services, f"{self.kind}_delete")(actor=self.request.user, **{self.kind: item})


class NeedFilter(StatementFilter):
    class Meta:
        model = Need
        fields = ["organisation", "topic", "changed_since"]


class OfferFilter(StatementFilter):
    class Meta:
        model = Offer
        fields = ["organisation", "topic", "changed_since"]


STATEMENT_DOCS = {
    "need": (s.NeedWriteSerializer, s.NeedSerializer), "offer": (s.OfferWriteSerializer, s.OfferSerializer)}


def _statement_docs(kind):
    write, read = STATEMENT_DOCS[kind]
    return extend_schema_view(create=extend_schema(request=write, responses={201: read}),
                              update=extend_schema(request=write, responses=read),
                              partial_update=extend_schema(request=write, responses=read))


@_statement_docs("need")
class NeedViewSet(_StatementViewSet):
    """Needs of the organisations the user may see."""

    kind = "need"
    model = Need
    scope = _statements(Need)
    serializer_class = s.NeedSerializer
    write_serializer_class = s.NeedWriteSerializer
    filterset_class = NeedFilter


@_statement_docs("offer")
class OfferViewSet(_StatementViewSet):
    """Offers of the organisations the user may see."""

    kind = "offer"
    model = Offer
    scope = _statements(Offer)
    serializer_class = s.OfferSerializer
    write_serializer_class = s.OfferWriteSerializer
    filterset_class = OfferFilter


class RegionFilter(django_filters.FilterSet):
    class Meta:
        model = Region
        fields = ["kind"]


class RegionViewSet(ReadViewSet):
    """All regions (names and places are public)."""

    model = Region
    scope = staticmethod(lambda user: Region.objects.order_by("name"))
    serializer_class = s.RegionSerializer
    filterset_class = RegionFilter


class TopicViewSet(ReadViewSet):
    """The topic taxonomy."""

    model = Topic
    scope = staticmethod(lambda user: Topic.objects.order_by("name_de"))
    serializer_class = s.TopicSerializer
    filterset_class = None
