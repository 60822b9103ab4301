"""/f/<förbund>/mal/…: the goal map, indicators and their values."""

from django.urls import URLPattern

app_name = "goals"

urlpatterns: list[URLPattern] = []
