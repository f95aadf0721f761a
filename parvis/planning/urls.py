from django.urls import path

from parvis.planning import views

app_name = "planning"
urlpatterns = [
    path(
        "c/<slug:slug>/circuit-de-validation/",
        views.approval_policy_edit,
        name="policy",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/soumettre/",
        views.post_submit,
        name="submit",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/approuver/",
        views.post_approve,
        name="approve",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/refuser/",
        views.post_reject,
        name="reject",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/brouillon/",
        views.post_back_to_draft,
        name="back_to_draft",
    ),
    path(
        "c/<slug:slug>/studio/<int:pk>/publier-en-urgence/",
        views.post_publish_now,
        name="publish_now",
    ),
]
