from django.urls import URLPattern, path

from stegvis.reports import views_finsam

urlpatterns: list[URLPattern] = [
    path("uppfoljning-finsam/<int:year>/", views_finsam.finsam, name="finsam"),
    path("uppfoljning-finsam/<int:year>.xlsx", views_finsam.finsam_xlsx, name="finsam_xlsx"),
]
