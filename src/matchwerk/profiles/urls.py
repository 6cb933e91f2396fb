from django.urls import path
from django.views.generic import TemplateView

app_name = "profiles"
# Placeholder routes; replaced by the profiles work.
urlpatterns = [
    path("verzeichnis/", TemplateView.as_view(template_name="base.html"), name="directory"),
    path("organisationen/neu/", TemplateView.as_view(template_name="base.html"), name="organisation_create"),
    path("organisationen/<int:pk>/", TemplateView.as_view(template_name="base.html"), name="organisation_detail"),
]
