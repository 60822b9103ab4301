"""/f/<förbund>/samverkan/…: the structural work (Samverkan)."""

from django.urls import URLPattern, URLResolver, include, path

app_name = "structural"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", include("stegvis.structural.urls_activities")),  # home, calendar, activities
    path("", include("stegvis.structural.urls_deviations")),  # avvikelser, guldkorn
    path("", include("stegvis.structural.urls_teams")),  # konsultationsteam, financing
    path("", include("stegvis.structural.urls_surveys")),  # samverkansenkäter
]
