"""Utfall: /f/<förbund>/ekonomi/utfall/…"""

from django.urls import path

from stegvis.finance import views_actuals as views

app_name = "actuals"

urlpatterns = [
    path("", views.index, name="index"),
    path("export.<str:fmt>", views.index_export, name="index_export"),
    path("perioder/", views.period_list, name="period_list"),
    path("perioder/ny/", views.period_create, name="period_create"),
    path("perioder/<int:pk>/", views.period_edit, name="period_edit"),
    path("perioder/<int:pk>/ta-bort/", views.period_delete, name="period_delete"),
    path("<int:year>/importmall.xlsx", views.import_template, name="import_template"),
    path("<int:year>/<slug:period>/", views.followup, name="followup"),
    path(
        "<int:year>/<slug:period>/export.<str:fmt>", views.followup_export, name="followup_export"
    ),
    path("<int:year>/<slug:period>/registrera/", views.record, name="record"),
    path("<int:year>/<slug:period>/import/", views.import_upload, name="import_upload"),
    path("<int:year>/<slug:period>/import/spara/", views.import_confirm, name="import_confirm"),
    path(
        "<int:year>/<slug:period>/prognos/<int:line_pk>/",
        views.forecast_edit,
        name="forecast_edit",
    ),
    path(
        "<int:year>/<slug:period>/prognos/<int:line_pk>/ta-bort/",
        views.forecast_remove,
        name="forecast_remove",
    ),
]
