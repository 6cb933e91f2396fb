from django.contrib import admin
from django.db import models

from matchwerk.profiles.models import Need, Offer, Organisation, Person, Region, Topic
from matchwerk.profiles.signals import announce_changed


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "state", "latitude", "longitude"]
    list_filter = ["kind", "state"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["coordinators"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name_de", "name_en", "slug"]
    search_fields = ["name_de", "name_en", "slug"]
    prepopulated_fields = {"slug": ["name_de"]}


class PersonInline(admin.TabularInline):
    model = Person
    extra = 0
    fields = ["name", "email", "phone", "position", "user", "is_contact", "can_edit"]
    raw_id_fields = ["user"]


class NeedInline(admin.StackedInline):
    model = Need
    extra = 0
    fields = ["title", "description", "topics"]
    filter_horizontal = ["topics"]


class OfferInline(admin.StackedInline):
    model = Offer
    extra = 0
    fields = ["title", "description", "topics"]
    filter_horizontal = ["topics"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "region", "town", "listed_in_directory", "open_for_matching", "updated_at"]
    list_filter = ["kind", "region", "listed_in_directory", "open_for_matching"]
    search_fields = ["name", "key", "town"]
    list_select_related = ["region"]
    filter_horizontal = ["topics"]
    # The consent flags change only through recorded consents (privacy.services.consent_record).
    readonly_fields = ["listed_in_directory", "open_for_matching", "created_at", "updated_at"]
    inlines = [PersonInline, NeedInline, OfferInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        announce_changed(form.instance.pk)

    def delete_model(self, request, obj):
        organisation_id = obj.pk
        super().delete_model(request, obj)
        announce_changed(organisation_id)

    def delete_queryset(self, request, queryset):
        ids = list(queryset.values_list("pk", flat=True))
        super().delete_queryset(request, queryset)
        announce_changed(ids=ids)

