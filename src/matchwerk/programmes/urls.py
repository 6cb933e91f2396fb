from django.urls import path

from matchwerk.programmes import peer_views
from matchwerk.programmes.staff import views

app_name = "programmes"
urlpatterns = [
    path("backoffice/programme/", views.programme_list, name="list"),
    path("backoffice/programme/neu/", views.programme_create, name="create"),
    path("backoffice/programme/<slug:slug>/", views.programme_detail, name="detail"),
    path("backoffice/programme/<slug:slug>/bearbeiten/", views.programme_edit, name="edit"),
    path("backoffice/programme/<slug:slug>/peer-learning/neu/", peer_views.session_create, name="peer_session_create"),
    path("backoffice/peer-learning/<int:pk>/", peer_views.session_manage, name="peer_session_manage"),
    path("backoffice/peer-learning/<int:pk>/einladen/", peer_views.session_invite, name="peer_session_invite"),
    path("backoffice/peer-learning/<int:pk>/teilnahme/", peer_views.session_attendance, name="peer_attendance"),
    path("backoffice/peer-learning/<int:pk>/material/", peer_views.material_add, name="peer_material_add"),
    path("peer-learning/<int:pk>/", peer_views.session_page, name="peer_session"),
    path("peer-learning/material/<int:pk>/", peer_views.material_download, name="peer_material"),
]
