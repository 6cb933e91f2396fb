from django.urls import path

from matchwerk.matching import views

app_name = "matching"
urlpatterns = [
    path("organisationen/<int:pk>/vorschlaege/", views.organisation_suggestions, name="organisation_suggestions"),
    path("mein-bereich/matches/", views.my_matches, name="my_matches"),
    path("matches/antwort/<int:pk>/", views.match_respond, name="match_respond"),
    path("matching/", views.review_queue, name="queue"),
    path("matching/vorschlag/<int:pk>/", views.review_decide, name="decide"),
    path("matching/neu-berechnen/", views.review_recompute, name="recompute"),
]
