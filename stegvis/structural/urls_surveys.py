"""/f/<förbund>/samverkan/enkater/: the collaboration survey rounds, their links and
results."""

from django.urls import URLPattern, path

from stegvis.structural import views_surveys

urlpatterns: list[URLPattern] = [
    path("enkater/", views_surveys.survey_list, name="survey_list"),
    path("enkater/ny/", views_surveys.survey_create, name="survey_create"),
    path("enkater/<int:pk>/", views_surveys.survey_round, name="survey_round"),
    path("enkater/<int:pk>/andra/", views_surveys.survey_edit, name="survey_edit"),
    path("enkater/<int:pk>/lankar/", views_surveys.survey_tokens, name="survey_tokens"),
    path("enkater/<int:pk>/resultat/", views_surveys.survey_results, name="survey_results"),
    path("enkater/<int:pk>/resultat.<str:fmt>", views_surveys.survey_export, name="survey_export"),
]
