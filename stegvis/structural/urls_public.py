"""/enkat/<token>/: answering a collaboration survey through its anonymous link (no
login; one answer per token)."""

from django.urls import URLPattern

app_name = "survey"

urlpatterns: list[URLPattern] = []
