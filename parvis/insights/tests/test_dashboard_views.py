"""The dashboard page: filters, key figures, tables as CSV, the agency view."""

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from parvis.insights.tests.builders import make_channel, published
from parvis.planning.models import Campaign


def url(authority, **params):
    from urllib.parse import urlencode

    base = reverse("insights:dashboard", args=[authority.slug])
    return f"{base}?{urlencode(params)}" if params else base


def test_the_dashboard_shows_figures_not_provided_charts_and_definitions(
    client_of, editor, commune
):
    facebook = make_channel(commune)
    mastodon = make_channel(commune, "mastodon", "m-1")
    now = timezone.now()
    published(
        facebook,
        now - dt.timedelta(days=3),
        counters={"reach": 2000, "reactions": 150, "comments": 30, "shares": 20},
        specific=True,
        title="Fête du nautisme <b>",
    )
    published(
        mastodon, now - dt.timedelta(days=2), counters={"reactions": 7}, specific=False
    )
    page = client_of(editor).get(url(commune)).content.decode()
    assert "Chiffres clés" in page and "non fourni" in page
    assert "10,0\u00a0%" in page  # 200 / 2,000 on Facebook
    assert "50,0\u00a0%" in page  # one of two written for the network
    assert "Fête du nautisme &lt;b&gt;" in page
    assert 'role="img"' in page and "<caption>" in page
    assert "Taux d&#x27;engagement" in page or "Taux d'engagement" in page
    assert "La même définition pour tous les réseaux" in page


def test_each_table_downloads_as_csv_and_an_unknown_one_shows_the_page(
    client_of, editor, commune
):
    make_channel(commune)
    client = client_of(editor)
    response = client.get(url(commune, tableau="canaux"))
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.splitlines()[0].startswith("Canal;Publications;Portée")
    for name in ("publications", "mode_specifique", "campagnes"):
        assert client.get(url(commune, tableau=name))["Content-Type"].startswith(
            "text/csv"
        )
    assert client.get(url(commune, tableau="secret")).status_code == 200


def test_filters_of_another_authority_or_dates_out_of_order_are_refused_in_french(
    client_of, editor, commune, other_authority
):
    foreign = Campaign.objects.create(
        authority=other_authority,
        name="Lyon",
        slug="lyon",
        objective="image",
        starts_on=dt.date(2026, 1, 1),
        ends_on=dt.date(2026, 12, 31),
    )
    client = client_of(editor)
    page = client.get(url(commune, campagne=foreign.pk)).content.decode()
    assert "Sélectionnez un choix valide" in page
    page = client.get(
        url(commune, periode="dates", du="2026-03-10", au="2026-03-01")
    ).content.decode()
    assert "La date de fin précède la date de début." in page


def test_a_campaign_shows_the_indicators_of_its_objective(client_of, editor, commune):
    today = timezone.localdate()
    campaign = Campaign.objects.create(
        authority=commune,
        name="Connaître la plage",
        slug="plage",
        objective="notoriete",
        starts_on=today - dt.timedelta(days=10),
        ends_on=today + dt.timedelta(days=10),
        kpis=["portee", "taux_engagement"],
    )
    channel = make_channel(commune)
    published(
        channel,
        timezone.now() - dt.timedelta(days=2),
        counters={"reach": 1234, "reactions": 10},
        campaign=campaign,
    )
    page = client_of(editor).get(url(commune, campagne=campaign.pk)).content.decode()
    assert "Connaître la plage" in page and "1\u202f234" in page


def test_an_outsider_gets_404_and_the_agency_sees_each_authority(
    client_of, outsider, agency, commune, other_authority
):
    assert client_of(outsider).get(url(commune)).status_code == 404
    page = client_of(agency).get(reverse("insights:agency")).content.decode()
    assert "Saint-Malo" in page and "Lyon" in page
