"""/f/<förbund>/mal/…: the goal map, indicators and their values."""

from django.urls import URLPattern, path

from stegvis.goals import views

app_name = "goals"

urlpatterns: list[URLPattern] = [
    path("", views.goal_map_home, name="map"),
    path("<int:year>/", views.goal_map_year, name="map_year"),
    path("<int:year>/export.<str:fmt>", views.goal_map_export, name="export"),
    path("<int:year>/ny/", views.goal_map_create, name="map_create"),
    path("<int:year>/mal/ny/", views.goal_create, name="goal_create"),
    path("mal/<int:pk>/andra/", views.goal_edit, name="goal_edit"),
    path("mal/<int:pk>/ta-bort/", views.goal_delete, name="goal_delete"),
    path("mal/<int:pk>/indikator/ny/", views.indicator_create, name="indicator_create"),
    path("indikator/<int:pk>/", views.indicator_detail, name="indicator"),
    path("indikator/<int:pk>/export.<str:fmt>", views.indicator_export, name="indicator_export"),
    path("indikator/<int:pk>/andra/", views.indicator_edit, name="indicator_edit"),
    path("indikator/<int:pk>/ta-bort/", views.indicator_delete, name="indicator_delete"),
    path("indikator/<int:pk>/varde/", views.manual_value, name="manual_value"),
]
