"""URLs of the inbox: the list, a message and the team's handling of it, the
messages to sort first, the settings."""

from django.urls import path

from parvis.inbox import views, views_privacy

app_name = "inbox"
urlpatterns = [
    path("c/<slug:slug>/messages/", views.message_list, name="list"),
    path(
        "c/<slug:slug>/messages/a-trier/", views.message_sort_first, name="sort_first"
    ),
    path("c/<slug:slug>/messages/reglages/", views.inbox_settings, name="settings"),
    path(
        "c/<slug:slug>/messages/reglages/open311/",
        views.open311_key_add,
        name="open311_key_add",
    ),
    path(
        "c/<slug:slug>/messages/reglages/open311/<int:pk>/revoquer/",
        views.open311_key_revoke,
        name="open311_key_revoke",
    ),
    path(
        "c/<slug:slug>/messages/donnees-personnelles/",
        views_privacy.person_data,
        name="privacy",
    ),
    path(
        "c/<slug:slug>/messages/donnees-personnelles/export/",
        views_privacy.person_data_export,
        name="privacy_export",
    ),
    path(
        "c/<slug:slug>/messages/donnees-personnelles/effacement/",
        views_privacy.person_data_erase,
        name="privacy_erase",
    ),
    path(
        "c/<slug:slug>/messages/registre-des-traitements/",
        views_privacy.processing_register,
        name="register",
    ),
    path("c/<slug:slug>/messages/<int:pk>/", views.message_show, name="detail"),
    path(
        "c/<slug:slug>/messages/<int:pk>/texte-complet/",
        views.message_reveal,
        name="reveal",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/etiquettes/<slug:label>/",
        views.message_labels,
        name="labels",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/attribution/",
        views.message_assign,
        name="assign",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/statut/", views.message_status, name="status"
    ),
    path("c/<slug:slug>/messages/<int:pk>/notes/", views.message_note, name="note"),
]
