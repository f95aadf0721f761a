"""Public URLs of participation (no login): /participer/<authority>/<consultation>/."""

from django.urls import path

from parvis.participation import views_public as views

app_name = "participation_public"
urlpatterns = [
    path(
        "participer/<slug:authority_slug>/<slug:slug>/",
        views.consultation_page,
        name="page",
    ),
    path(
        "participer/<slug:authority_slug>/<slug:slug>/contribuer/",
        views.contribute,
        name="contribute",
    ),
    path(
        "participer/<slug:authority_slug>/<slug:slug>/propositions/<int:statement>/vote/",
        views.vote,
        name="vote",
    ),
    path(
        "participer/<slug:authority_slug>/<slug:slug>/confirmer-mon-adresse/",
        views.verify_request,
        name="verify_request",
    ),
    path(
        "participer/<slug:authority_slug>/<slug:slug>/confirmation/",
        views.verify_email,
        name="verify",
    ),
]
