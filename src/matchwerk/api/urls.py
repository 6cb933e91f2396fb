"""``/api/v1/``: the resources, the OpenAPI schema and its browsable docs; the token page;
the staff's webhook pages; the public event calendar."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from matchwerk.api import pages
from matchwerk.api.views import event_items, events, grants, matching, meetings, profiles
from matchwerk.api.views.base import not_found

router = DefaultRouter(trailing_slash=True)
router.include_root_view = False
router.register("organisations", profiles.OrganisationViewSet, basename="organisation")
router.register("needs", profiles.NeedViewSet, basename="need")
router.register("offers", profiles.OfferViewSet, basename="offer")
router.register("regions", profiles.RegionViewSet, basename="region")
router.register("topics", profiles.TopicViewSet, basename="topic")
router.register("programmes", matching.ProgrammeViewSet, basename="programme")
router.register("suggestions", matching.SuggestionViewSet, basename="suggestion")
router.register("matches", matching.MatchViewSet, basename="match")
router.register("events", events.EventViewSet, basename="event")
router.register("registrations", events.RegistrationViewSet, basename="registration")
router.register("check-ins", events.CheckInViewSet, basename="checkin")
router.register("journal-entries", matching.JournalEntryViewSet, basename="journal-entry")
router.register("grants", grants.GrantViewSet, basename="grant")
router.register("payments", grants.PaymentViewSet, basename="payment")
router.register("sessions", event_items.SessionViewSet, basename="session")
router.register("event-ideas", event_items.IdeaViewSet, basename="event-idea")
router.register("wall-posts", event_items.WallPostViewSet, basename="wall-post")
router.register("meeting-requests", meetings.MeetingRequestViewSet, basename="meeting-request")
router.register("meeting-plan-versions", meetings.PlanVersionViewSet, basename="meeting-plan-version")
router.register("meetings", meetings.MeetingViewSet, basename="meeting")
router.register("round-plans", meetings.RoundPlanViewSet, basename="round-plan")

app_name = "api"
urlpatterns = [
    path("api/v1/", include(router.urls)),
    path("api/v1/schema/", SpectacularAPIView.as_view(throttle_classes=[], authentication_classes=[]), name="schema"),
    path("api/v1/docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema", throttle_classes=[]),
         name="docs"),
    path("mein-bereich/api-schluessel/", pages.tokens, name="tokens"),
    path("mein-bereich/api-schluessel/<int:pk>/widerrufen/", pages.token_revoke, name="token_revoke"),
    path("backoffice/webhooks/", pages.webhook_list, name="webhook_list"),
    path("backoffice/webhooks/<int:pk>/", pages.webhook_detail, name="webhook_detail"),
    path("backoffice/webhooks/zustellung/<uuid:pk>/erneut/", pages.delivery_resend, name="delivery_resend"),
    path("veranstaltungen/kalender.ics", pages.public_calendar, name="public_calendar"),
    re_path(r"^api/", not_found),  # anything else under /api/: a JSON 404, not the HTML page
]
