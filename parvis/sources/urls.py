from django.urls import path

from parvis.sources import views

app_name = "sources"
urlpatterns = [
    path("c/<slug:slug>/sources/", views.source_list, name="list"),
    path("c/<slug:slug>/sources/ajouter/", views.source_add, name="add"),
    path("c/<slug:slug>/sources/<int:pk>/verifier/", views.source_poll, name="poll"),
    path("c/<slug:slug>/sources/<int:pk>/suivi/", views.source_toggle, name="toggle"),
    path(
        "c/<slug:slug>/sources/<int:pk>/supprimer/",
        views.source_delete,
        name="delete",
    ),
    path("c/<slug:slug>/sources/articles/", views.article_list, name="articles"),
    path(
        "c/<slug:slug>/sources/articles/<int:pk>/",
        views.article_detail,
        name="article",
    ),
]
