"""URL patterns of the participants app (import); included by participants/urls.py."""

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
