from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.static import serve

urlpatterns = [
    path("", include("matchwerk.core.urls")),
    path("konto/", include("matchwerk.accounts.urls")),
    path("", include("matchwerk.profiles.urls")),
    path("", include("matchwerk.matching.urls")),
    path("", include("matchwerk.programmes.urls")),
    path("", include("matchwerk.events.urls")),
    path("", include("matchwerk.meetings.urls")),
    path("", include("matchwerk.rounds.urls")),
    path("", include("matchwerk.programmes.grants.urls")),
    path("", include("matchwerk.programmes.reports.urls")),
    path("backoffice/", include("matchwerk.profiles.staff.urls")),
    path("", include("matchwerk.api.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
if not settings.PRODUCTION:
    # Uploaded logos; in production the web server serves MEDIA_ROOT.
    urlpatterns.append(path("media/<path:path>", serve, {"document_root": settings.MEDIA_ROOT}))
