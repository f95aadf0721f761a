"""URLs of planning: the editorial calendar of one authority or of all the user's
(agency), moving a post, and the scheduling step of the editor's workflow panel."""

from django.urls import path

from parvis.planning import views_calendar, views_schedule

app_name = "calendar"
urlpatterns = [
    path("c/<slug:slug>/calendrier/", views_calendar.month, name="month"),
    path("c/<slug:slug>/calendrier/semaine/", views_calendar.week, name="week"),
    path("c/<slug:slug>/calendrier/liste/", views_calendar.entries_list, name="list"),
    path(
        "c/<slug:slug>/calendrier/publications/<int:pk>/deplacer/",
        views_calendar.post_move,
        name="move",
    ),
    path("calendrier/", views_calendar.agency_month, name="agency_month"),
    path("calendrier/semaine/", views_calendar.agency_week, name="agency_week"),
    path("calendrier/liste/", views_calendar.agency_list, name="agency_list"),
    path(
        "c/<slug:slug>/studio/<int:pk>/programmer/",
        views_schedule.post_schedule,
        name="schedule",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/deprogrammer/",
        views_schedule.post_unschedule,
        name="unschedule",
    ),
]
