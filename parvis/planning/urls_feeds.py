"""URLs of planning: the secret ICS feeds (public address and management page) and
the CSV export of the calendar."""

from django.urls import path

from parvis.planning import views_feeds as views

app_name = "feeds"
urlpatterns = [
    path("calendrier/ics/<str:token>.ics", views.calendar_ics, name="ics"),
    path("c/<slug:slug>/calendrier/abonnements/", views.feed_list, name="list"),
    path(
        "c/<slug:slug>/calendrier/abonnements/<int:pk>/revoquer/",
        views.feed_revoke,
        name="revoke",
    ),
    path(
        "c/<slug:slug>/calendrier/export.csv",
        views.calendar_export_csv,
        name="export_csv",
    ),
]
