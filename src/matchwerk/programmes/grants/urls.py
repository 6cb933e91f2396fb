from django.urls import path

from matchwerk.programmes.grants import staff_views, views

app_name = "grants"
urlpatterns = [
    path("mein-bereich/matches/<int:match_pk>/foerderung/", views.grant_apply, name="apply"),
    path("mein-bereich/foerderungen/<int:pk>/", views.grant_detail, name="grant"),
    path("mein-bereich/foerderungen/<int:pk>/nachweis/", views.proof_submit, name="proof_submit"),
    path("foerderungen/belege/<int:pk>/", views.receipt_download, name="receipt"),
    path("backoffice/foerderungen/", staff_views.programme_index, name="staff_index"),
    path("backoffice/foerderungen/programm/<slug:slug>/", staff_views.grant_list, name="staff_list"),
    path("backoffice/foerderungen/<int:pk>/", staff_views.grant_detail, name="staff_detail"),
    path("backoffice/foerderungen/<int:pk>/bewilligen/", staff_views.grant_approve, name="staff_approve"),
    path("backoffice/foerderungen/<int:pk>/aenderungen/", staff_views.grant_request_changes, name="staff_changes"),
    path("backoffice/foerderungen/<int:pk>/zahlung/", staff_views.payment_record, name="staff_payment"),
    path("backoffice/foerderungen/<int:pk>/nachweis/", staff_views.proof_check, name="staff_proof_check"),
]
