from django.urls import path

from parvis.studio import views
from parvis.territory import views as owned_views

app_name = "studio"
urlpatterns = [
    path("c/<slug:slug>/studio/", views.post_list, name="list"),
    path("c/<slug:slug>/studio/nouveau/", views.post_new, name="new"),
    path("c/<slug:slug>/studio/<int:pk>/", views.post_editor, name="post"),
    path(
        "c/<slug:slug>/studio/variantes/<int:pk>/compter/",
        views.variant_count,
        name="variant_count",
    ),
    path(
        "c/<slug:slug>/studio/variantes/<int:pk>/enregistrer/",
        views.variant_save,
        name="variant_save",
    ),
    path(
        "c/<slug:slug>/studio/variantes/<int:pk>/regenerer/",
        views.variant_regenerate,
        name="variant_regenerate",
    ),
    path(
        "c/<slug:slug>/studio/variantes/<int:pk>/reecrire/",
        views.variant_rewrite,
        name="variant_rewrite",
    ),
    path("c/<slug:slug>/partenaires/", views.partner_list, name="partners"),
    path(
        "c/<slug:slug>/partenaires/nouveau/",
        owned_views.owned_edit,
        {"kind": "partner"},
        name="partner_new",
    ),
    path(
        "c/<slug:slug>/partenaires/<int:pk>/",
        owned_views.owned_edit,
        {"kind": "partner"},
        name="partner_edit",
    ),
    path(
        "c/<slug:slug>/partenaires/<int:pk>/supprimer/",
        owned_views.owned_delete,
        {"kind": "partner"},
        name="partner_delete",
    ),
]
