"""/f/<förbund>/samverkan/avvikelser/: avvikelser and guldkorn, their handling, the
board's learning overview and the förbund's categories."""

from django.urls import URLPattern, path

from stegvis.structural import views_deviations as views

urlpatterns: list[URLPattern] = [
    path("avvikelser/", views.deviation_list, name="deviation_list"),
    path("avvikelser/ny/", views.deviation_create, name="deviation_create"),
    path("avvikelser/export.<str:fmt>", views.deviation_export, name="deviation_export"),
    path("avvikelser/<int:pk>/", views.deviation_detail, name="deviation_detail"),
    path("avvikelser/<int:pk>/hantera/", views.deviation_handle, name="deviation_handle"),
    path("avvikelser/larande/", views.deviation_learning, name="deviation_learning"),
    path(
        "avvikelser/larande/export.<str:fmt>",
        views.deviation_learning_export,
        name="deviation_learning_export",
    ),
    path("avvikelser/kategorier/", views.deviation_categories, name="deviation_categories"),
    path(
        "avvikelser/kategorier/<int:pk>/",
        views.deviation_category_edit,
        name="deviation_category_edit",
    ),
]
