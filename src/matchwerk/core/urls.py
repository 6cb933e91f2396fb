from django.urls import path

from matchwerk.core import views

app_name = "core"
urlpatterns = [
    path("", views.home, name="home"),
    path("mein-bereich/", views.dashboard, name="dashboard"),
]
