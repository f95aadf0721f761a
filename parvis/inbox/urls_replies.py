"""URLs of the inbox (urls_replies): answering messages, approving answers, hiding
comments, and the saved replies."""

from django.urls import path

from parvis.inbox import views_replies as views

app_name = "replies"
urlpatterns = [
    path(
        "c/<slug:slug>/messages/<int:pk>/reponses/",
        views.message_replies,
        name="message",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/reponses/formulaire/",
        views.reply_form,
        name="form",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/reponses/caracteres/",
        views.reply_characters,
        name="count",
    ),
    path(
        "c/<slug:slug>/messages/<int:pk>/reponses/envoyer/",
        views.reply_create,
        name="create",
    ),
    path("c/<slug:slug>/messages/<int:pk>/masquer/", views.message_hide, name="hide"),
    path(
        "c/<slug:slug>/messages/reponses/<int:pk>/valider/",
        views.reply_approve_view,
        name="approve",
    ),
    path(
        "c/<slug:slug>/messages/reponses/<int:pk>/refuser/",
        views.reply_reject_view,
        name="reject",
    ),
    path(
        "c/<slug:slug>/messages/reponses/<int:pk>/renvoyer/",
        views.reply_retry_view,
        name="retry",
    ),
    path(
        "c/<slug:slug>/messages/reponses-types/",
        views.saved_reply_list,
        name="saved_list",
    ),
    path(
        "c/<slug:slug>/messages/reponses-types/ajouter/",
        views.saved_reply_edit,
        name="saved_add",
    ),
    path(
        "c/<slug:slug>/messages/reponses-types/<int:pk>/",
        views.saved_reply_edit,
        name="saved_edit",
    ),
    path(
        "c/<slug:slug>/messages/reponses-types/<int:pk>/supprimer/",
        views.saved_reply_remove,
        name="saved_delete",
    ),
]
