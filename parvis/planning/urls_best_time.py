"""URLs of planning: the best time to publish."""

from django.urls import path

from parvis.planning import views_best_time

app_name = "best_time"
urlpatterns = [
    path(
        "c/<slug:slug>/meilleurs-moments/",
        views_best_time.best_time,
        name="page",
    ),
]
