"""URLs of sponsoring: /c/<slug>/sponsorisation/… (outside /mesure/, so that the
navigation marks one current page)."""

from django.urls import path

from parvis.insights import views_boosts as views

app_name = "boosts"
urlpatterns = [
    path("c/<slug:slug>/sponsorisation/", views.boost_list, name="list"),
    path(
        "c/<slug:slug>/sponsorisation/nouvelle/",
        views.boost_edit,
        name="new",
    ),
    path(
        "c/<slug:slug>/sponsorisation/<int:pk>/modifier/",
        views.boost_edit,
        name="edit",
    ),
    path(
        "c/<slug:slug>/sponsorisation/<int:pk>/supprimer/",
        views.boost_delete,
        name="delete",
    ),
    path(
        "c/<slug:slug>/sponsorisation/importer/",
        views.boosts_import,
        name="import",
    ),
    path(
        "c/<slug:slug>/sponsorisation/export.csv",
        views.boosts_csv,
        name="export_csv",
    ),
    path(
        "c/<slug:slug>/sponsorisation/modele.csv",
        views.boosts_template_csv,
        name="template_csv",
    ),
    path(
        "c/<slug:slug>/sponsorisation/portee/",
        views.boosts_reach,
        name="reach",
    ),
]
