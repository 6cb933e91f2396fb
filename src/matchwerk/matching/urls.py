from django.urls import path

from matchwerk.matching import views
from matchwerk.matching.staff import views as staff_views

app_name = "matching"
urlpatterns = [
    path("organisationen/<int:pk>/vorschlaege/", views.organisation_suggestions, name="organisation_suggestions"),
    path("mein-bereich/matches/", views.my_matches, name="my_matches"),
    path("matches/antwort/<int:pk>/", views.match_respond, name="match_respond"),
    path("matching/", staff_views.review_queue, name="queue"),
    path("matching/vorschlag/<int:pk>/", staff_views.review_decide, name="decide"),
    path("matching/neu-berechnen/", staff_views.review_recompute, name="recompute"),
]
