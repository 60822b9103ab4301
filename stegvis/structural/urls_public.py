"""/enkat/<token>/: answering a collaboration survey through its anonymous link (no
login; one answer per token)."""

from django.urls import URLPattern, path

from stegvis.structural import views_public

app_name = "survey"

urlpatterns: list[URLPattern] = [
    path("<slug:token>/", views_public.answer, name="answer"),
    path("<slug:token>/tack/", views_public.thanks, name="thanks"),
]
