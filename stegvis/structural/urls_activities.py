"""/f/<förbund>/samverkan/: the start page (what is coming) and the activities."""

from django.urls import URLPattern, path

from stegvis.structural import views, views_activities

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
    path("aktiviteter/", views_activities.activity_list, name="activity_list"),
    path("aktiviteter/ny/", views_activities.activity_create, name="activity_create"),
    path("aktiviteter/export.<str:fmt>", views_activities.activity_export, name="activity_export"),
    path(
        "aktiviteter/sammanstallning.<str:fmt>",
        views_activities.activity_counts_export,
        name="activity_counts_export",
    ),
    path("aktiviteter/<int:pk>/", views_activities.activity_detail, name="activity_detail"),
    path("aktiviteter/<int:pk>/andra/", views_activities.activity_edit, name="activity_edit"),
    path("aktiviteter/<int:pk>/ta-bort/", views_activities.activity_delete, name="activity_delete"),
    path("aktiviteter/slag/", views_activities.activity_kinds, name="activity_kinds"),
    path(
        "aktiviteter/slag/<int:pk>/andra/",
        views_activities.activity_kind_edit,
        name="activity_kind_edit",
    ),
    path(
        "aktiviteter/slag/<int:pk>/ta-bort/",
        views_activities.activity_kind_delete,
        name="activity_kind_delete",
    ),
]
