from django.urls import path

from matchwerk.matching import match_views, views
from matchwerk.matching.staff import matches as staff_matches
from matchwerk.matching.staff import views as staff_views

app_name = "matching"
urlpatterns = [
    path("organisationen/<int:pk>/vorschlaege/", views.organisation_suggestions, name="organisation_suggestions"),
    path("mein-bereich/matches/", views.my_matches, name="my_matches"),
    path("matches/antwort/<int:pk>/", views.match_respond, name="match_respond"),
    path("matches/<int:pk>/", match_views.match_detail, name="match_detail"),
    path("matches/<int:pk>/journal/", match_views.journal_add, name="journal_add"),
    path("matches/<int:pk>/idee/", match_views.idea_write, name="idea_write"),
    path("matches/<int:pk>/meilensteine/", match_views.milestone_add, name="milestone_add"),
    path("matches/meilensteine/<int:pk>/erledigt/", match_views.milestone_done, name="milestone_done"),
    path("rueckmeldung/<str:token>/", match_views.followup_answer, name="followup_answer"),
    path("matching/", staff_views.review_queue, name="queue"),
    path("matching/vorschlag/<int:pk>/", staff_views.review_decide, name="decide"),
    path("matching/neu-berechnen/", staff_views.review_recompute, name="recompute"),
    path("backoffice/betreuung/", staff_matches.caseload, name="caseload"),
    path("backoffice/matches/<int:pk>/stufe/", staff_matches.stage_change, name="stage_change"),
    path("backoffice/matches/<int:pk>/koordination/", staff_matches.match_coordinator, name="match_coordinator"),
    path("backoffice/programme/<slug:slug>/matches/neu/", staff_matches.match_create, name="match_create"),
]
