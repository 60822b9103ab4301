from django.urls import path

from stegvis.core import views

app_name = "core"

urlpatterns = [
    path("", views.home, name="home"),
    path("forbund/", views.picker, name="picker"),
    path("forbund/nytt/", views.association_create, name="association_create"),
    path("nationellt/", views.national, name="national"),
    path("nationellt/export.<str:fmt>", views.national_export, name="national_export"),
    path("healthz", views.healthz, name="healthz"),
]
