from django.urls import path

from parvis.web import views

app_name = "web"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.dashboard, name="dashboard"),
]
