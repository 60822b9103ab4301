from django.urls import URLPattern, path

from stegvis.structural import views

urlpatterns: list[URLPattern] = [
    path("", views.home, name="home"),
]
