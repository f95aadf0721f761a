"""Website visits by campaign, imported from the web analytics' CSV export."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from parvis.insights.campaign_kpis import campaign_kpis
from parvis.insights.models import WebVisits
from parvis.insights.web_visits import VisitsFileError, read_visits, web_visits_import
from parvis.planning.models import Campaign

PARVIS = (
    b"date,utm_campaign,utm_source,visits\n2026-03-14,fete-de-la-mer,facebook,120\n"
)
GOOGLE = (
    "Date;Session campaign;Session source;Sessions\n"
    "20260314;fete-de-la-mer;instagram;45\n"
    "20260315;fete-de-la-mer;instagram;1\u202f005\n"
).encode("utf-8-sig")
MATOMO = b"date,label,nb_uniq_visitors,nb_visits\n2026-03-14,Fete-de-la-mer,10,12\n"


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (PARVIS, [(dt.date(2026, 3, 14), "fete-de-la-mer", "facebook", 120)]),
        (
            GOOGLE,
            [
                (dt.date(2026, 3, 14), "fete-de-la-mer", "instagram", 45),
                (dt.date(2026, 3, 15), "fete-de-la-mer", "instagram", 1005),
            ],
        ),
        (MATOMO, [(dt.date(2026, 3, 14), "fete-de-la-mer", "", 12)]),
        (
            PARVIS.decode().encode("utf-16"),
            [(dt.date(2026, 3, 14), "fete-de-la-mer", "facebook", 120)],
        ),
    ],
    ids=["parvis", "google-analytics", "matomo", "utf-16"],
)
def test_exports_are_read_by_their_column_names(data, expected):
    rows, report = read_visits(data)
    assert rows == expected and not report.problems


def test_bad_rows_are_reported_with_their_line_and_a_file_without_columns_refused():
    rows, report = read_visits(
        b"date,campagne,visites\n2026-03-14,ete,3\nhier,ete,4\n2026-03-15,,5\n2026-03-16,ete,beaucoup\n"
    )
    assert rows == [(dt.date(2026, 3, 14), "ete", "", 3)]
    assert report.problems == [
        "ligne 3 : date illisible « hier »",
        "ligne 4 : campagne vide",
        "ligne 5 : nombre de visites illisible « beaucoup »",
    ]
    with pytest.raises(VisitsFileError, match="Colonnes introuvables : les visites"):
        read_visits(b"date,utm_campaign\n2026-03-14,ete\n")
    with pytest.raises(VisitsFileError, match="UTF-8"):
        read_visits("date,campagne,visites\n2026-03-14,été,3\n".encode("latin-1"))


def test_importing_again_replaces_the_counts_and_the_campaign_shows_its_visits(commune):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        authority=commune,
        name="Fête de la mer",
        slug="fete-de-la-mer",
        objective="attractivite",
        starts_on=today - dt.timedelta(days=5),
        ends_on=today + dt.timedelta(days=5),
        kpis=["visites_site"],
    )
    day = today - dt.timedelta(days=1)
    data = f"date,utm_campaign,utm_source,visits\n{day},fete-de-la-mer,facebook,120\n"
    assert web_visits_import(authority=commune, data=data.encode()).created == 1
    again = web_visits_import(
        authority=commune, data=data.replace("120", "130").encode()
    )
    assert (again.created, again.updated) == (0, 1)
    assert WebVisits.objects.get().visits == 130
    [kpi] = campaign_kpis(campaign)
    assert (kpi.slug, kpi.value) == ("visites_site", 130)


def test_writers_import_visits_from_the_dashboard_and_others_cannot(
    client_of, editor, outsider, commune
):
    url = reverse("insights:visits_import", args=[commune.slug])
    upload = SimpleUploadedFile("visites.csv", PARVIS, content_type="text/csv")
    response = client_of(editor).post(url, {"fichier": upload}, follow=True)
    assert "1 nouvelles lignes" in response.content.decode()
    assert WebVisits.objects.filter(authority=commune).count() == 1
    upload = SimpleUploadedFile("x.csv", b"nom\nx\n", content_type="text/csv")
    response = client_of(editor).post(url, {"fichier": upload}, follow=True)
    assert "Colonnes introuvables" in response.content.decode()
    assert client_of(outsider).post(url, {"fichier": upload}).status_code == 404
