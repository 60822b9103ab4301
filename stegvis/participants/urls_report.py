"""URL patterns of the participants app (report); included by participants/urls.py."""

from django.urls import URLPattern, path

from stegvis.participants import views_report

urlpatterns: list[URLPattern] = [
    path("rapport/", views_report.report, name="report"),
    path("rapport/export.<str:fmt>", views_report.report_export, name="report_export"),
]
