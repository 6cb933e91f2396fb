from django.urls import path

from matchwerk.profiles import invitation_views, views

app_name = "profiles"
urlpatterns = [
    path("verzeichnis/", views.directory, name="directory"),
    path("organisationen/neu/", views.organisation_create, name="organisation_create"),
    path("organisationen/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path("organisationen/<int:pk>/bearbeiten/", views.organisation_edit, name="organisation_edit"),
    path("organisationen/<int:pk>/loeschen/", views.organisation_delete, name="organisation_delete"),
    path("organisationen/<int:pk>/personen/", views.people_list, name="people"),
    path("organisationen/<int:pk>/personen/neu/", views.person_add, name="person_add"),
    path("organisationen/<int:pk>/personen/<int:person_pk>/", views.person_edit, name="person_edit"),
    path("organisationen/<int:pk>/personen/<int:person_pk>/entfernen/", views.person_remove, name="person_remove"),
    path("einladung/<str:token>/", invitation_views.invitation, name="invitation"),
    path("organisationen/<int:pk>/bedarfe/neu/", views.statement_create, {"kind": "need"}, name="need_create"),
    path("organisationen/<int:pk>/bedarfe/<int:item_pk>/", views.statement_edit, {"kind": "need"},
         name="need_edit"),
    path("organisationen/<int:pk>/bedarfe/<int:item_pk>/loeschen/", views.statement_delete, {"kind": "need"},
         name="need_delete"),
    path("organisationen/<int:pk>/angebote/neu/", views.statement_create, {"kind": "offer"}, name="offer_create"),
    path("organisationen/<int:pk>/angebote/<int:item_pk>/", views.statement_edit, {"kind": "offer"},
         name="offer_edit"),
    path("organisationen/<int:pk>/angebote/<int:item_pk>/loeschen/", views.statement_delete, {"kind": "offer"},
         name="offer_delete"),
]
