from django.urls import include, path
from django.views.i18n import set_language

from stegvis.associations.tenancy import public_view

urlpatterns = [
    path("", include("stegvis.core.urls")),
    path("konto/", include("stegvis.accounts.urls")),
    path("i18n/setlang/", public_view(set_language), name="set_language"),
    path("f/<slug:association_slug>/", include("stegvis.associations.urls")),
    path("f/<slug:association_slug>/installningar/logg/", include("stegvis.audit.urls")),
    path("f/<slug:association_slug>/ekonomi/utfall/", include("stegvis.finance.urls_actuals")),
    path("f/<slug:association_slug>/ekonomi/", include("stegvis.finance.urls")),
    path("f/<slug:association_slug>/insatser/", include("stegvis.interventions.urls")),
    path("f/<slug:association_slug>/deltagare/", include("stegvis.participants.urls")),
    path("f/<slug:association_slug>/instrument/", include("stegvis.instruments.urls")),
    path("f/<slug:association_slug>/mal/", include("stegvis.goals.urls")),
    path("f/<slug:association_slug>/samverkan/", include("stegvis.structural.urls")),
    path("f/<slug:association_slug>/rapporter/", include("stegvis.reports.urls")),
    path("enkat/", include("stegvis.structural.urls_public")),
]

# Swedish error pages; an over-size request gets 413 from handler400 (stegvis/core/errors.py).
handler400 = "stegvis.core.errors.bad_request"
handler403 = "stegvis.core.errors.permission_denied"
handler404 = "stegvis.core.errors.page_not_found"
handler500 = "stegvis.core.errors.server_error"
