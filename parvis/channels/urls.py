from django.urls import path

from parvis.channels import views

app_name = "channels"
urlpatterns = [
    path("c/<slug:slug>/canaux/", views.channel_list, name="list"),
    path(
        "c/<slug:slug>/canaux/<int:pk>/deconnecter/",
        views.channel_disconnect,
        name="disconnect",
    ),
]
