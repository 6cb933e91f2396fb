from django.urls import path
from django.views.generic import TemplateView

app_name = "backoffice"
# Placeholder routes; replaced by the back-office work.
urlpatterns = [
    path("", TemplateView.as_view(template_name="base.html"), name="index"),
]
