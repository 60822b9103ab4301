"""/f/<förbund>/rapporter/…: the reports the board and the state get, as pages, PDF
and Excel."""

from django.urls import URLPattern, URLResolver, include, path

from stegvis.reports import views

app_name = "reports"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.home, name="home"),
    path("", include("stegvis.reports.urls_plan")),  # verksamhetsplan, its texts
    path("", include("stegvis.reports.urls_periodic")),  # delårsrapport, verksamhetsberättelse
    path("", include("stegvis.reports.urls_sus")),  # participant, insats and cost reports
    path("", include("stegvis.reports.urls_finsam")),  # Uppföljning Finsam
]
