from django.urls import path

from matchwerk.profiles import invitation_views
from matchwerk.profiles.staff import taxonomy, transfer, views

app_name = "backoffice"
urlpatterns = [
    path("", views.index, name="index"),
    path("organisationen/", views.organisation_list, name="organisation_list"),
    path("personen/", views.person_list, name="person_list"),
    path("personen/einladen/", invitation_views.contacts_invite, name="contacts_invite"),
    path("themen/", taxonomy.topic_list, name="topic_list"),
    path("themen/neu/", taxonomy.topic_edit, name="topic_create"),
    path("themen/<int:pk>/", taxonomy.topic_edit, name="topic_edit"),
    path("themen/<int:pk>/loeschen/", taxonomy.topic_delete, name="topic_delete"),
    path("regionen/", taxonomy.region_list, name="region_list"),
    path("regionen/neu/", taxonomy.region_edit, name="region_create"),
    path("regionen/<int:pk>/", taxonomy.region_edit, name="region_edit"),
    path("regionen/<int:pk>/loeschen/", taxonomy.region_delete, name="region_delete"),
    path("import/", transfer.import_start, name="import"),
    path("import/<uuid:pk>/", transfer.import_job, name="import_job"),
    path("import/<uuid:pk>/bestaetigen/", transfer.import_job_decide, name="import_job_decide"),
    path("import/vorlage.<str:file_format>", transfer.import_template, name="import_template"),
    path("export/", transfer.export, name="export"),
]
