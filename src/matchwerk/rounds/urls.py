from django.urls import path

from matchwerk.rounds import staff_views, views

app_name = "rounds"
urlpatterns = [
    path("veranstaltungen/<int:pk>/mein-tisch/", views.my_table, name="my_table"),
    path("veranstaltungen/<int:pk>/mein-tisch/karte.pdf", views.my_card, name="my_card"),
    # Staff; <kind> is "speed-dating" or "tischrunden"
    path("backoffice/veranstaltungen/<int:pk>/runden/speed-dating/paare/", staff_views.pairs, name="pairs"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/", staff_views.setup, name="setup"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/berechnen/", staff_views.run_start, name="run_start"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/veroeffentlichen/", staff_views.release,
         name="release"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/umsetzen/", staff_views.seat_move,
         name="seat_move"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/uhr/", staff_views.projector, name="projector"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/uhr/starten/", staff_views.clock_start,
         name="clock_start"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/tischplan.pdf", staff_views.plan_pdf, name="plan_pdf"),
    path("backoffice/veranstaltungen/<int:pk>/runden/<slug:kind>/karten.pdf", staff_views.cards_pdf, name="cards_pdf"),
    path("backoffice/planungslauf/<int:pk>/", staff_views.run_status, name="run"),
]
