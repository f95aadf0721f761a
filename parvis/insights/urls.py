"""URLs of the insights: /c/<slug>/mesure/…"""

from django.urls import path

from parvis.insights import views, views_dashboard, views_reports

app_name = "insights"
urlpatterns = [
    path("c/<slug:slug>/mesure/", views_dashboard.dashboard, name="dashboard"),
    path("mesure/", views_dashboard.agency_dashboard, name="agency"),
    path(
        "c/<slug:slug>/mesure/visites/",
        views_dashboard.visits_import,
        name="visits_import",
    ),
    path("c/<slug:slug>/mesure/rapport/", views_reports.report, name="report"),
    path(
        "c/<slug:slug>/mesure/rapport.pdf", views_reports.report_pdf, name="report_pdf"
    ),
    path(
        "c/<slug:slug>/mesure/rapport/destinataires/",
        views_reports.report_recipients,
        name="report_recipients",
    ),
    path("c/<slug:slug>/mesure/barometre/", views.barometer, name="barometer"),
    path(
        "c/<slug:slug>/mesure/barometre.csv", views.barometer_csv, name="barometer_csv"
    ),
    path(
        "c/<slug:slug>/mesure/barometre/observatoire/",
        views.observatory_import,
        name="observatory_import",
    ),
]
