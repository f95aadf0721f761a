"""URLs of participation: the team's pages under /c/<slug>/consultations/."""

from django.urls import path

from parvis.participation import views

app_name = "participation"
urlpatterns = [
    path("c/<slug:slug>/consultations/", views.consultation_list, name="list"),
    path("c/<slug:slug>/consultations/nouvelle/", views.consultation_edit, name="new"),
    path(
        "c/<slug:slug>/consultations/<int:pk>/", views.consultation_show, name="detail"
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/modifier/",
        views.consultation_edit,
        name="edit",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/contributions/<int:contribution>/moderer/",
        views.contribution_moderate,
        name="moderate",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/propositions/",
        views.statement_create,
        name="statement_create",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/propositions/<int:statement>/vote-ouvert/",
        views.statement_toggle,
        name="statement_toggle",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/analyse/",
        views.analysis_request,
        name="analyse",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/themes/<int:theme>/",
        views.theme_change,
        name="theme_change",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/rapport/",
        views.consultation_report,
        name="report",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/rapport.pdf",
        views.consultation_report_pdf,
        name="report_pdf",
    ),
    path(
        "c/<slug:slug>/consultations/<int:pk>/donnees.<str:fmt>",
        views.consultation_open_data,
        name="open_data",
    ),
]
