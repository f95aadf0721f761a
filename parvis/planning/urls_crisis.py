"""URLs of planning: crisis. The crisis acted on is the authority's active one (its id
comes with the form, to refuse a stale page), and a held post is named in the form:
no address names an object, so none can name another authority's."""

from django.urls import path

from parvis.planning import views_crisis

app_name = "crisis"
urlpatterns = [
    path("c/<slug:slug>/crise/", views_crisis.crisis_page, name="page"),
    path("c/<slug:slug>/crise/compter/", views_crisis.crisis_count, name="count"),
    path("c/<slug:slug>/crise/declencher/", views_crisis.crisis_start, name="start"),
    path("c/<slug:slug>/crise/lever/", views_crisis.crisis_lift, name="lift"),
    path(
        "c/<slug:slug>/crise/epingler/",
        views_crisis.crisis_pin_again,
        name="pin_again",
    ),
    path(
        "c/<slug:slug>/crise/reprogrammer/",
        views_crisis.crisis_reschedule,
        name="reschedule",
    ),
]
