from django.urls import path

from matchwerk.programmes.reports import views

app_name = "reports"
urlpatterns = [
    path("backoffice/berichte/<slug:slug>/", views.dashboard, name="dashboard"),
    path("backoffice/berichte/<slug:slug>/foerderbericht.pdf", views.funder_report_pdf_view, name="funder_pdf"),
    path("backoffice/berichte/<slug:slug>/foerderbericht.xlsx", views.funder_report_xlsx_view, name="funder_xlsx"),
]
