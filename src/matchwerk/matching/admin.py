from django.contrib import admin

from matchwerk.matching.models import Decision, Match, MatchSide, Suggestion


@admin.register(Suggestion)
class SuggestionAdmin(admin.ModelAdmin):
    list_display = ["organisation", "partner", "score", "rank", "status", "programme"]
    list_filter = ["programme", "status"]
    raw_id_fields = ["organisation", "partner"]


@admin.register(Decision)
class DecisionAdmin(admin.ModelAdmin):
    list_display = ["low", "high", "kind", "reason", "decided_by", "decided_at"]
    list_filter = ["kind", "programme"]
    raw_id_fields = ["low", "high"]


class MatchSideInline(admin.TabularInline):
    model = MatchSide
    extra = 0
    raw_id_fields = ["organisation"]


@admin.register(Match)
class MatchAdmin(admin.ModelAdmin):
    list_display = ["__str__", "programme", "status", "stage", "origin", "created_at"]
    list_filter = ["status", "stage", "origin", "programme"]
    raw_id_fields = ["coordinator", "created_by"]
    readonly_fields = ["stage", "stage_changed_at", "ended_reason"]  # moved only by match_stage_change
    inlines = [MatchSideInline]
