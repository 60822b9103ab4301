"""/f/<förbund>/rapporter/verksamhetsplan/…: the verksamhetsplan of a year, its PDF and
its texts."""

from django.urls import URLPattern, path

from stegvis.reports import views_plan

urlpatterns: list[URLPattern] = [
    path("verksamhetsplan/<int:year>/", views_plan.plan, name="plan"),
    path("verksamhetsplan/<int:year>.pdf", views_plan.plan_pdf, name="plan_pdf"),
    path("verksamhetsplan/<int:year>/texter/", views_plan.plan_texts, name="plan_texts"),
]
