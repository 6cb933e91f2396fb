from django.contrib import admin

from matchwerk.programmes.models import Programme, ProgrammeCoordinator


class ProgrammeCoordinatorInline(admin.TabularInline):
    model = ProgrammeCoordinator
    extra = 0
    raw_id_fields = ["user"]


@admin.register(Programme)
class ProgrammeAdmin(admin.ModelAdmin):
    inlines = [ProgrammeCoordinatorInline]
    list_display = ["name", "slug", "is_active"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["regions", "team"]
