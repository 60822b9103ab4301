"""URL patterns of the participants app (rows); included by participants/urls.py."""

from django.urls import URLPattern, path

from stegvis.participants import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("insats/<int:pk>/", views.intervention_participants, name="intervention"),
    path("insats/<int:pk>/ny/", views.participant_create, name="participant_create"),
    path("insats/<int:pk>/anonyma/", views.anonymous, name="anonymous"),
    path("<int:pk>/", views.participant_detail, name="participant_detail"),
    path("<int:pk>/andra/", views.participant_edit, name="participant_edit"),
    path("<int:pk>/avsluta/", views.participant_exit, name="participant_exit"),
    path("<int:pk>/svar/", views.participant_answer, name="participant_answer"),
    path("<int:pk>/ta-bort/", views.participant_delete, name="participant_delete"),
    path("installningar/", views.policy, name="policy"),
    path("fragor/", views.question_list, name="question_list"),
    path("fragor/export.<str:fmt>", views.question_export, name="question_export"),
    path("fragor/ny/", views.question_create, name="question_create"),
    path("fragor/<int:pk>/", views.question_edit, name="question_edit"),
]
