"""URL patterns of the participants app (import); included by participants/urls.py."""

from django.urls import URLPattern, path

from stegvis.participants import views_import as views

urlpatterns: list[URLPattern] = [
    path("insats/<int:pk>/import/", views.import_upload, name="import"),
    path("insats/<int:pk>/import/spara/", views.import_confirm, name="import_confirm"),
    path("insats/<int:pk>/import/mall.xlsx", views.import_template, name="import_template"),
    path("insats/<int:pk>/export.<str:fmt>", views.export, name="export"),
]
