from django.urls import path

from stegvis.finance import views

app_name = "finance"

urlpatterns = [
    path("", views.budget, name="budget"),
    path("ny/", views.plan_create, name="plan_create"),
    path("ladda-upp/", views.plan_upload, name="plan_upload"),
    path("planmall.xlsx", views.plan_template, name="plan_template"),
    path("<int:year>/", views.plan_detail, name="plan_detail"),
    path("<int:year>/andra/", views.plan_edit, name="plan_edit"),
    path("<int:year>/budget.<str:fmt>", views.budget_export, name="budget_export"),
    path("<int:year>/planfil.<str:fmt>", views.plan_export, name="plan_export"),
    path("<int:year>/rader/ny/<str:side>/", views.line_create, name="line_create"),
    path("<int:year>/rader/<int:pk>/", views.line_edit, name="line_edit"),
    path("<int:year>/rader/<int:pk>/ta-bort/", views.line_delete, name="line_delete"),
    path("<int:year>/regler/", views.rules_edit, name="rules_edit"),
    path("<int:year>/medlemsavgifter/", views.contributions, name="contributions"),
    path(
        "<int:year>/medlemsavgifter/export.<str:fmt>",
        views.contributions_export,
        name="contributions_export",
    ),
    path(
        "<int:year>/medlemsavgifter/andra/",
        views.contribution_total_edit,
        name="contribution_total_edit",
    ),
]
