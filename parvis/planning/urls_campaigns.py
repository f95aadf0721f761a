"""URLs of planning: campaigns."""

from django.urls import path

from parvis.planning import views_campaigns as views

app_name = "campaigns"
urlpatterns = [
    path("c/<slug:slug>/campagnes/", views.campaign_list, name="list"),
    path("c/<slug:slug>/campagnes/nouvelle/", views.campaign_edit, name="new"),
    path(
        "c/<slug:slug>/campagnes/indicateurs/",
        views.campaign_objective_fields,
        name="objective_fields",
    ),
    path("c/<slug:slug>/campagnes/<int:pk>/", views.campaign_show, name="detail"),
    path(
        "c/<slug:slug>/campagnes/<int:pk>/modifier/",
        views.campaign_edit,
        name="edit",
    ),
    path(
        "c/<slug:slug>/campagnes/<int:pk>/supprimer/",
        views.campaign_delete,
        name="delete",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/campagne/",
        views.post_campaign_set,
        name="post_set",
    ),
]
