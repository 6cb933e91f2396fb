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
    list_display = ["__str__", "programme", "status", "created_at"]
    list_filter = ["status", "programme"]
    inlines = [MatchSideInline]
