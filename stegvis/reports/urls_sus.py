"""The SUS reports: deltagarrapport, insatsrapport and kostnadsrapport, each as a page,
a PDF and an Excel or CSV file (included by reports/urls.py)."""

from django.urls import URLPattern, path

from stegvis.reports import views_sus

urlpatterns: list[URLPattern] = [
    path("deltagarrapport/", views_sus.participants_page, name="sus_participants"),
    path("deltagarrapport/rapport.pdf", views_sus.participants_pdf, name="sus_participants_pdf"),
    path(
        "deltagarrapport/export.<str:fmt>",
        views_sus.participants_export,
        name="sus_participants_export",
    ),
    path("insatsrapport/", views_sus.interventions_page, name="sus_interventions"),
    path("insatsrapport/rapport.pdf", views_sus.interventions_pdf, name="sus_interventions_pdf"),
    path(
        "insatsrapport/export.<str:fmt>",
        views_sus.interventions_export,
        name="sus_interventions_export",
    ),
    path("kostnadsrapport/", views_sus.costs_page, name="sus_costs"),
    path("kostnadsrapport/rapport.pdf", views_sus.costs_pdf, name="sus_costs_pdf"),
    path("kostnadsrapport/export.<str:fmt>", views_sus.costs_export, name="sus_costs_export"),
]
