from django.urls import path

from matchwerk.events import checkin_views, offline, program_views, staff_views, views

app_name = "events"
urlpatterns = [
    path("veranstaltungen/", views.event_list, name="list"),
    path("veranstaltungen/<int:pk>/", views.event_detail, name="detail"),
    path("veranstaltungen/<int:pk>/kalender.ics", views.event_ics, name="ics"),
    path("veranstaltungen/<int:pk>/anmelden/", views.event_register, name="register"),
    path("veranstaltungen/<int:pk>/rueckmeldung/", views.feedback, name="feedback"),
    path("veranstaltungen/anmeldung/<int:pk>/abmelden/", views.registration_cancel, name="cancel"),
    path("mein-bereich/veranstaltungen/", views.agenda, name="agenda"),
    path("mein-bereich/veranstaltungen/offline.js", offline.agenda_worker, name="agenda_worker"),
    path("mein-bereich/kalender/neu/", views.calendar_feed_create, name="feed_create"),
    path("mein-bereich/kalender/widerrufen/", views.calendar_feed_revoke, name="feed_revoke"),
    path("kalender/<str:token>.ics", views.calendar_feed, name="feed"),
    # Staff
    path("backoffice/veranstaltungen/", staff_views.event_list, name="staff_list"),
    path("backoffice/veranstaltungen/neu/", staff_views.event_create, name="staff_create"),
    path("backoffice/veranstaltungen/<int:pk>/", staff_views.event_detail, name="staff_detail"),
    path("backoffice/veranstaltungen/<int:pk>/bearbeiten/", staff_views.event_edit, name="staff_edit"),
    path("backoffice/veranstaltungen/<int:pk>/kopieren/", staff_views.event_copy, name="staff_copy"),
    path("backoffice/veranstaltungen/<int:pk>/status/", staff_views.event_status, name="staff_status"),
    path("backoffice/veranstaltungen/<int:pk>/fragen/", staff_views.question_add, name="staff_question_add"),
    path("backoffice/veranstaltungen/fragen/<int:pk>/entfernen/", staff_views.question_delete,
         name="staff_question_delete"),
    path("backoffice/veranstaltungen/<int:pk>/einladen/", staff_views.invite, name="staff_invite"),
    path("backoffice/veranstaltungen/<int:pk>/vor-ort/", staff_views.walk_in, name="staff_walk_in"),
    path("backoffice/veranstaltungen/<int:pk>/check-in/", checkin_views.checkin, name="staff_checkin"),
    path("backoffice/veranstaltungen/<int:pk>/check-in/code/", checkin_views.checkin_do, name="staff_checkin_do"),
    path("backoffice/veranstaltungen/<int:pk>/verschieben/", staff_views.registration_move, name="staff_move"),
    path("backoffice/veranstaltungen/anmeldung/<int:pk>/stornieren/", staff_views.registration_cancel,
         name="staff_registration_cancel"),
    path("backoffice/veranstaltungen/<int:pk>/programm/", program_views.sessions, name="staff_sessions"),
    path("backoffice/veranstaltungen/programm/<int:pk>/entfernen/", program_views.session_delete,
         name="staff_session_delete"),
    path("backoffice/veranstaltungen/<int:pk>/arbeitsgruppen/vorschlagen/", program_views.groups_propose,
         name="staff_groups_propose"),
    path("backoffice/veranstaltungen/programm/<int:pk>/mitglied/", program_views.member_add, name="staff_member_add"),
    path("backoffice/veranstaltungen/mitglied/<int:pk>/entfernen/", program_views.member_remove,
         name="staff_member_remove"),
]
