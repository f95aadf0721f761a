from django.urls import path

from parvis.system import views

app_name = "system"
urlpatterns = [
    path("healthz", views.healthz, name="healthz"),
    path("notifications/", views.notification_list, name="notifications"),
    path(
        "notifications/lues/",
        views.notifications_mark_read,
        name="notifications_read",
    ),
]
