from django.urls import path

from matchwerk.meetings import staff_views, views

app_name = "meetings"
urlpatterns = [
    path("veranstaltungen/<int:pk>/gespraeche/", views.home, name="home"),
    path("veranstaltungen/<int:pk>/gespraeche/personen/", views.people, name="people"),
    path("veranstaltungen/<int:pk>/gespraeche/anfragen/<int:registration_pk>/", views.request_create,
         name="request_create"),
    path("veranstaltungen/<int:pk>/gespraeche/ausblenden/<int:registration_pk>/", views.hide, name="hide"),
    path("veranstaltungen/<int:pk>/gespraeche/zeiten/", views.availability, name="availability"),
    path("veranstaltungen/<int:pk>/gespraeche.ics", views.ics, name="ics"),
    path("veranstaltungen/<int:pk>/gespraeche.pdf", views.pdf, name="pdf"),
    path("gespraeche/anfrage/<int:pk>/bearbeiten/", views.request_edit, name="request_edit"),
    path("gespraeche/anfrage/<int:pk>/zurueckziehen/", views.request_withdraw, name="request_withdraw"),
    path("gespraeche/anfrage/<int:pk>/antworten/", views.request_answer, name="request_answer"),
    path("gespraeche/anfrage/<int:pk>/rueckmeldung/", views.feedback, name="feedback"),
    path("gespraeche/anfrage/<int:pk>/buchen/", views.book, name="book"),
    # Staff
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/", staff_views.settings_page, name="staff_settings"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/stand/", staff_views.booth, name="staff_booth"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/plan/", staff_views.plan, name="staff_plan"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/plan/erstellen/", staff_views.plan_start,
         name="staff_plan_start"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/plan/hinzufuegen/", staff_views.meeting_add,
         name="staff_meeting_add"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/plan/veroeffentlichen/", staff_views.release,
         name="staff_release"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/tischplan.pdf", staff_views.print_tables,
         name="staff_print_tables"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/personenplan.pdf", staff_views.print_people,
         name="staff_print_people"),
    path("backoffice/veranstaltungen/<int:pk>/gespraeche/rueckmeldungen/", staff_views.feedback_page,
         name="staff_feedback"),
    path("backoffice/gespraeche/berechnung/<int:pk>/", staff_views.run_page, name="staff_run"),
    path("backoffice/gespraeche/berechnung/<int:pk>/abbrechen/", staff_views.run_cancel, name="staff_run_cancel"),
    path("backoffice/gespraeche/gespraech/<int:pk>/verschieben/", staff_views.meeting_move, name="staff_meeting_move"),
    path("backoffice/gespraeche/gespraech/<int:pk>/festsetzen/", staff_views.meeting_lock, name="staff_meeting_lock"),
]
