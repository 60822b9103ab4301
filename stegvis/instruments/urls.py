from django.urls import path

from stegvis.instruments import views

app_name = "instruments"

urlpatterns = [
    # Definitions
    path("", views.instrument_list, name="list"),
    path("export.<str:fmt>", views.instrument_export, name="export"),
    path("standard/", views.defaults_install, name="defaults_install"),
    path("ny/", views.instrument_create, name="create"),
    path("<int:pk>/", views.instrument_detail, name="detail"),
    path("<int:pk>/andra/", views.instrument_edit, name="edit"),
    path("<int:pk>/fragor/", views.question_add, name="question_add"),
    path("<int:pk>/fragor/<int:question_pk>/", views.question_edit, name="question_edit"),
    path("<int:pk>/fragor/<int:question_pk>/flytta/", views.question_move, name="question_move"),
    path(
        "<int:pk>/fragor/<int:question_pk>/ta-bort/",
        views.question_delete,
        name="question_delete",
    ),
    path("<int:pk>/insatser/", views.attach, name="attach"),
    path("<int:pk>/insatser/<int:intervention_pk>/ta-bort/", views.detach, name="detach"),
    # Participant rows: the due list of an insats, a participant's follow-ups
    path("insats/<int:pk>/att-gora/", views.due, name="due"),
    path("insats/<int:pk>/att-gora.<str:fmt>", views.due_export, name="due_export"),
    path("deltagare/<int:pk>/", views.participant_follow_up, name="participant_follow_up"),
    path(
        "deltagare/<int:pk>/instrument/<int:instrument_pk>/",
        views.response_create,
        name="response_create",
    ),
    path(
        "deltagare/<int:pk>/svar/<int:response_pk>/ta-bort/",
        views.response_delete,
        name="response_delete",
    ),
]
