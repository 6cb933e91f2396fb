from django.contrib import admin

from matchwerk.privacy.models import Consent


@admin.register(Consent)
class ConsentAdmin(admin.ModelAdmin):
    """Consent records are evidence: visible, never changed by hand."""

    list_display = ["recorded_at", "user", "organisation", "purpose", "granted", "text_version"]
    list_filter = ["purpose", "granted", "text_version"]
    search_fields = ["user__email", "organisation__name"]
    list_select_related = ["user", "organisation"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
