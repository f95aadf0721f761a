from django.urls import path

from parvis.publishing import views

app_name = "publishing"
urlpatterns = [
    path("c/<slug:slug>/publications/", views.publication_list, name="list"),
    path(
        "c/<slug:slug>/publications/<int:pk>/", views.publication_detail, name="detail"
    ),
    path(
        "c/<slug:slug>/publications/<int:pk>/annuler/",
        views.publication_cancel,
        name="cancel",
    ),
    path(
        "c/<slug:slug>/publications/<int:pk>/relancer/",
        views.publication_retry,
        name="retry",
    ),
    path(
        "c/<slug:slug>/publications/<int:pk>/retirer/",
        views.publication_unpublish,
        name="unpublish",
    ),
]
