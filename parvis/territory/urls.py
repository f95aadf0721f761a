from django.urls import path

from parvis.territory import views

app_name = "territory"
urlpatterns = [
    path("collectivites/nouvelle/", views.authority_create, name="create"),
    path("collectivites/recherche/", views.authority_search, name="search"),
    path("c/<slug:slug>/parametres/", views.authority_settings, name="settings"),
    path("c/<slug:slug>/publics/", views.audience_list, name="audiences"),
    path("c/<slug:slug>/services/", views.service_list, name="services"),
    path("c/<slug:slug>/elections/", views.election_list, name="elections"),
]
for kind, prefix in [
    ("audience", "publics"),
    ("service", "services"),
    ("election", "elections"),
]:
    urlpatterns += [
        path(
            f"c/<slug:slug>/{prefix}/nouveau/",
            views.owned_edit,
            {"kind": kind},
            name=f"{kind}_new",
        ),
        path(
            f"c/<slug:slug>/{prefix}/<int:pk>/",
            views.owned_edit,
            {"kind": kind},
            name=f"{kind}_edit",
        ),
        path(
            f"c/<slug:slug>/{prefix}/<int:pk>/supprimer/",
            views.owned_delete,
            {"kind": kind},
            name=f"{kind}_delete",
        ),
    ]
