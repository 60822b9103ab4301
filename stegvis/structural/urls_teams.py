"""/f/<förbund>/samverkan/konsultationsteam/…: teams, representatives, meetings with
attendance and case counts, the financing basis and the rates."""

from django.urls import URLPattern, path

from stegvis.structural import views_teams as views

urlpatterns: list[URLPattern] = [
    path("konsultationsteam/", views.team_list, name="team_list"),
    path("konsultationsteam/nytt/", views.team_create, name="team_create"),
    path("konsultationsteam/<int:pk>/", views.team_detail, name="team_detail"),
    path("konsultationsteam/<int:pk>/andra/", views.team_edit, name="team_edit"),
    path("konsultationsteam/<int:pk>/export.<str:fmt>", views.team_export, name="team_export"),
    path(
        "konsultationsteam/<int:pk>/representant/ny/",
        views.representative_create,
        name="representative_create",
    ),
    path(
        "konsultationsteam/representant/<int:pk>/byt/",
        views.representative_replace,
        name="representative_replace",
    ),
    path(
        "konsultationsteam/representant/<int:pk>/avsluta/",
        views.representative_end,
        name="representative_end",
    ),
    path("konsultationsteam/<int:pk>/mote/nytt/", views.meeting_create, name="meeting_create"),
    path("konsultationsteam/mote/<int:pk>/", views.meeting_detail, name="meeting_detail"),
    path("konsultationsteam/mote/<int:pk>/andra/", views.meeting_edit, name="meeting_edit"),
    path("konsultationsteam/mote/<int:pk>/stall-in/", views.meeting_cancel, name="meeting_cancel"),
    path("konsultationsteam/finansiering/", views.financing, name="financing"),
    path(
        "konsultationsteam/finansiering/export.<str:fmt>",
        views.financing_export,
        name="financing_export",
    ),
    path("konsultationsteam/ersattning/", views.rates, name="rates"),
    path("konsultationsteam/ersattning/<int:pk>/ta-bort/", views.rate_delete, name="rate_delete"),
]
