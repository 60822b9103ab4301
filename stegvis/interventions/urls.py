from django.urls import path

from stegvis.interventions import views
from stegvis.interventions import views_applications as applications
from stegvis.interventions import views_exports as exports

app_name = "interventions"

urlpatterns = [
    # Insatser
    path("", views.intervention_list, name="list"),
    path("export.<str:fmt>", views.intervention_export, name="export"),
    path("ny/", views.intervention_create, name="create"),
    path("malgrupper/", views.target_group_list, name="target_groups"),
    path("malgrupper/export.<str:fmt>", exports.target_group_export, name="target_group_export"),
    path("<int:pk>/", views.intervention_detail, name="detail"),
    path("<int:pk>/andra/", views.intervention_edit, name="edit"),
    path("<int:pk>/status/", views.intervention_status, name="status"),
    path("<int:pk>/planerade-deltagare/", views.planned_set, name="planned_set"),
    path("<int:pk>/matpunkter/", views.target_add, name="target_add"),
    path(
        "<int:pk>/matpunkter/<int:target_pk>/ta-bort/",
        views.target_delete,
        name="target_delete",
    ),
    path("<int:pk>/handlingar/", views.document_add, name="document_add"),
    path(
        "<int:pk>/handlingar/<int:document_pk>/ta-bort/",
        views.document_delete,
        name="document_delete",
    ),
    path("<int:pk>/styrgrupp/", views.seat_add, name="seat_add"),
    path("<int:pk>/styrgrupp/<int:seat_pk>/ta-bort/", views.seat_delete, name="seat_delete"),
    path("<int:pk>/personal/", views.staff_add, name="staff_add"),
    path("<int:pk>/personal/<int:user_pk>/ta-bort/", views.staff_remove, name="staff_remove"),
    # Application rounds and applications
    path("ansokningsomgangar/", applications.round_list, name="round_list"),
    path(
        "ansokningsomgangar/export.<str:fmt>",
        exports.round_list_export,
        name="round_list_export",
    ),
    path("ansokningsomgangar/ny/", applications.round_create, name="round_create"),
    path("ansokningsomgangar/<int:pk>/", applications.round_detail, name="round_detail"),
    path("ansokningsomgangar/<int:pk>/andra/", applications.round_edit, name="round_edit"),
    path(
        "ansokningsomgangar/<int:pk>/export.<str:fmt>",
        applications.round_export,
        name="round_export",
    ),
    path(
        "ansokningsomgangar/<int:pk>/ansok/",
        applications.application_create,
        name="application_create",
    ),
    path("ansokningar/<int:pk>/", applications.application_detail, name="application_detail"),
    path(
        "ansokningar/<int:pk>/beredning/",
        applications.application_prepare,
        name="application_prepare",
    ),
    path("ansokningar/<int:pk>/beslut/", applications.decision_create, name="decision_create"),
    # The board
    path("styrelsen/", applications.meeting, name="meeting"),
    path("styrelsen/export.<str:fmt>", exports.meeting_export, name="meeting_export"),
    path("beslut/<int:pk>/", applications.decision_detail, name="decision_detail"),
    path("beslut/<int:pk>/protokollsutdrag.pdf", applications.decision_pdf, name="decision_pdf"),
    path("beslut/<int:pk>/beslut.<str:fmt>", applications.decision_export, name="decision_export"),
]
