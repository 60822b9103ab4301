from django.urls import path

from stegvis.associations import views

app_name = "associations"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("installningar/forbundet/", views.association_edit, name="edit"),
    path("installningar/medlemmar/", views.member_list, name="member_list"),
    path("installningar/medlemmar/export.<str:fmt>", views.member_export, name="member_export"),
    path("installningar/medlemmar/ny/", views.member_create, name="member_create"),
    path("installningar/medlemmar/<int:pk>/", views.member_edit, name="member_edit"),
    path(
        "installningar/medlemmar/<int:pk>/folkmangd/", views.population_set, name="population_set"
    ),
    path("installningar/organisation/", views.group_list, name="group_list"),
    path("installningar/organisation/export.<str:fmt>", views.group_export, name="group_export"),
    path("installningar/organisation/ny/", views.group_create, name="group_create"),
    path("installningar/organisation/<int:pk>/", views.group_detail, name="group_detail"),
    path("installningar/organisation/<int:pk>/andra/", views.group_edit, name="group_edit"),
    path("installningar/organisation/<int:pk>/ta-bort/", views.group_delete, name="group_delete"),
    path("installningar/organisation/<int:pk>/platser/", views.seat_create, name="seat_create"),
    path(
        "installningar/organisation/<int:pk>/platser/<int:seat_pk>/ta-bort/",
        views.seat_delete,
        name="seat_delete",
    ),
    path("installningar/personer/", views.person_list, name="person_list"),
    path("installningar/personer/export.<str:fmt>", views.person_export, name="person_export"),
    path("installningar/personer/ny/", views.person_add, name="person_add"),
    path("installningar/personer/<int:pk>/", views.person_edit, name="person_edit"),
    path("installningar/personer/<int:pk>/ta-bort/", views.person_remove, name="person_remove"),
]
