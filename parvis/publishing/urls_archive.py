"""URLs of the public archive (no login)."""

from django.urls import path

from parvis.publishing import views_archive as views

app_name = "archive"
urlpatterns = [
    path("archives/<slug:slug>/", views.archive_list, name="list"),
    path(
        "archives/<slug:slug>/export.csv", views.archive_export_csv, name="export_csv"
    ),
    path(
        "archives/<slug:slug>/export.json",
        views.archive_export_json,
        name="export_json",
    ),
]
