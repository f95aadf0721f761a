from django.urls import path

from parvis.channels import connect_views, views

app_name = "channels"
urlpatterns = [
    path("c/<slug:slug>/canaux/", views.channel_list, name="list"),
    path(
        "c/<slug:slug>/canaux/<int:pk>/deconnecter/",
        views.channel_disconnect,
        name="disconnect",
    ),
    path(
        "c/<slug:slug>/canaux/connecter/<str:network>/",
        connect_views.channel_connect_start,
        name="connect",
    ),
    path(
        "c/<slug:slug>/canaux/choisir/<str:state>/",
        connect_views.channel_choose,
        name="choose",
    ),
    path(
        "canaux/retour/<str:network>/",
        connect_views.channel_callback,
        name="callback",
    ),
]
