"""The delårsrapport (tertial 1 or 2) and the verksamhetsberättelse: page, PDF, Excel."""

from django.urls import URLPattern, path

from stegvis.reports import views_periodic as views

urlpatterns: list[URLPattern] = [
    path("delarsrapport/<int:year>/<int:tertial>/", views.interim, name="interim"),
    path("delarsrapport/<int:year>/<int:tertial>.pdf", views.interim_pdf, name="interim_pdf"),
    path("delarsrapport/<int:year>/<int:tertial>.xlsx", views.interim_xlsx, name="interim_xlsx"),
    path("verksamhetsberattelse/<int:year>/", views.annual, name="annual"),
    path("verksamhetsberattelse/<int:year>.pdf", views.annual_pdf, name="annual_pdf"),
    path("verksamhetsberattelse/<int:year>.xlsx", views.annual_xlsx, name="annual_xlsx"),
]
