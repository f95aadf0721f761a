"""The public archive pages and exports: no login, escaped texts, filters, pages."""

import csv
import datetime as dt
import io
import json
from zoneinfo import ZoneInfo

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from parvis.publishing.models import ArchiveEntry

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def entry(authority, when, *, network="mastodon", text="Bonjour", **fields):
    channel = {
        "mastodon": "Mastodon @ville@social.example",
        "facebook": "Facebook Ville de Saint-Malo",
    }[network]
    defaults = {
        "channel_name": channel,
        "title": "Titre interne",
        "parts": [text],
        "remote_url": "https://social.example/@ville/1",
    }
    return ArchiveEntry.objects.create(
        authority=authority,
        network=network,
        published_at=when,
        **{**defaults, **fields},
    )


def list_url(authority, **params):
    url = reverse("archive:list", args=[authority.slug])
    return url + (
        "?" + "&".join(f"{k}={v}" for k, v in params.items()) if params else ""
    )


def streamed(response) -> str:
    return b"".join(response.streaming_content).decode("utf-8")


def test_anyone_reads_the_archive_newest_first_in_local_time(client, commune):
    entry(commune, dt.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS), text="Plus ancienne")
    entry(
        commune,
        dt.datetime(2026, 7, 14, 10, 0, tzinfo=PARIS),
        network="facebook",
        text="Feu d'artifice\nce soir",
        link="https://www.saint-malo.example/14-juillet",
    )
    page = client.get(list_url(commune))
    assert page.status_code == 200
    text = page.text
    assert text.index("Feu d&#x27;artifice") < text.index("Plus ancienne")
    assert "mardi 14 juillet 2026 à 10:00" in text
    assert "lundi 2 mars 2026 à 09:15" in text
    assert "sur Facebook Ville de Saint-Malo" in text
    assert "Feu d&#x27;artifice<br>ce soir" in text
    assert 'href="https://www.saint-malo.example/14-juillet"' in text
    assert "Voir sur le réseau" in text
    # Internal words stay inside: no title, no application navigation.
    assert "Titre interne" not in text
    assert "Tableau de bord" not in text and "Se déconnecter" not in text


def test_texts_are_escaped_and_unsafe_links_are_not_links(client, commune):
    entry(
        commune,
        dt.datetime(2026, 3, 2, 9, tzinfo=PARIS),
        text='<script>alert("x")</script> <b>gras</b>',
        link="javascript:alert(1)",
        channel_name="<img src=x onerror=alert(1)>",
    )
    text = client.get(list_url(commune)).text
    assert "<script>alert" not in text
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in text
    assert "<b>gras</b>" not in text
    assert "javascript:" not in text
    assert "<img src=x" not in text


def test_an_image_is_shown_with_its_alternative_text(client, commune):
    item = entry(
        commune,
        dt.datetime(2026, 3, 2, 9, tzinfo=PARIS),
        image_alt="Plan de la déviation",
    )
    item.image.save("plan.png", ContentFile(b"png"), save=True)
    text = client.get(list_url(commune)).text
    assert f'src="{item.image.url}" alt="Plan de la déviation"' in text


def test_a_withdrawn_publication_stays_and_says_when_it_was_withdrawn(client, commune):
    entry(
        commune,
        dt.datetime(2026, 3, 2, 9, tzinfo=PARIS),
        withdrawn_at=dt.datetime(2026, 3, 3, 8, 30, tzinfo=PARIS),
    )
    text = client.get(list_url(commune)).text
    assert "Retirée du réseau" in text and "le 3 mars 2026 à 08:30." in text
    assert "Voir sur le réseau" not in text
    assert "Bonjour" in text


def test_the_filters_by_month_and_network_offer_only_what_exists(client, commune):
    # 31 March 23:30 in Paris is 21:30 UTC: a March publication, not April.
    entry(commune, dt.datetime(2026, 3, 31, 23, 30, tzinfo=PARIS), text="Fin mars")
    entry(commune, dt.datetime(2026, 4, 1, 0, 30, tzinfo=PARIS), text="Début avril")
    entry(
        commune,
        dt.datetime(2026, 4, 2, 12, tzinfo=PARIS),
        network="facebook",
        text="Avril FB",
    )
    page = client.get(list_url(commune))
    assert '<option value="2026-03">mars 2026</option>' in page.text
    assert '<option value="2026-04">avril 2026</option>' in page.text
    assert '<option value="facebook">Facebook</option>' in page.text
    assert '<option value="x">' not in page.text

    march = client.get(list_url(commune, mois="2026-03")).text
    assert "Fin mars" in march and "Début avril" not in march
    assert '<option value="2026-03" selected>' in march
    april_mastodon = client.get(list_url(commune, mois="2026-04", reseau="mastodon"))
    assert "Début avril" in april_mastodon.text
    assert (
        "Avril FB" not in april_mastodon.text and "Fin mars" not in april_mastodon.text
    )
    nonsense = client.get(list_url(commune, mois="2026-13", reseau="myspace"))
    assert nonsense.status_code == 200 and "Avril FB" in nonsense.text


def test_the_archive_is_paginated_by_fifty_keeping_the_filters(client, commune):
    start = dt.datetime(2026, 5, 1, 8, tzinfo=PARIS)
    for number in range(51):
        entry(commune, start + dt.timedelta(hours=number), text=f"Numéro {number}")
    first = client.get(list_url(commune, mois="2026-05")).text
    assert "Numéro 50" in first and "Numéro 1<" in first
    assert "Numéro 0<" not in first
    assert "51 publications" in first
    assert "?mois=2026-05&amp;page=2" in first
    second = client.get(list_url(commune, mois="2026-05", page=2)).text
    assert "Numéro 0<" in second and "Numéro 1<" not in second


def test_the_list_reads_a_page_without_a_query_per_entry(
    client, commune, django_assert_max_num_queries
):
    start = dt.datetime(2026, 5, 1, 8, tzinfo=PARIS)
    for number in range(20):
        entry(commune, start + dt.timedelta(hours=number))
    # Session, authority, count, page, months, networks.
    with django_assert_max_num_queries(7):
        client.get(list_url(commune))


def test_an_unknown_authority_has_no_archive(client, commune):
    assert client.get(reverse("archive:list", args=["nulle-part"])).status_code == 404
    assert (
        client.get(reverse("archive:export_csv", args=["nulle-part"])).status_code
        == 404
    )
    assert (
        client.get(reverse("archive:export_json", args=["nulle-part"])).status_code
        == 404
    )


def test_the_archive_of_one_authority_shows_none_of_another(
    client, commune, other_authority
):
    entry(commune, dt.datetime(2026, 3, 2, 9, tzinfo=PARIS), text="Saint-Malo")
    entry(other_authority, dt.datetime(2026, 3, 2, 9, tzinfo=PARIS), text="Lyon")
    text = client.get(list_url(other_authority)).text
    assert "Lyon" in text and "Saint-Malo</div>" not in text


def test_the_csv_export_has_every_entry_or_the_filtered_ones(client, commune):
    entry(
        commune,
        dt.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS),
        text="=1+1 ; formule",
        withdrawn_at=dt.datetime(2026, 3, 3, 8, 30, tzinfo=PARIS),
    )
    entry(commune, dt.datetime(2026, 4, 2, 9, tzinfo=PARIS), network="facebook")
    response = client.get(reverse("archive:export_csv", args=[commune.slug]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = streamed(response)
    assert body.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(body[1:]), delimiter=";"))
    assert rows[0][:4] == ["Date", "Heure (Europe/Paris)", "Réseau", "Compte"]
    assert [row[2] for row in rows[1:]] == ["Facebook", "Mastodon"]
    assert rows[2][:2] == ["02/03/2026", "09:15"]
    assert rows[2][4] == "'=1+1 ; formule"
    assert rows[2][-1] == "03/03/2026 08:30"

    filtered = client.get(
        reverse("archive:export_csv", args=[commune.slug]), {"reseau": "mastodon"}
    )
    assert (
        len(list(csv.reader(io.StringIO(streamed(filtered)[1:]), delimiter=";"))) == 2
    )


def test_the_json_export_is_valid_and_complete(client, commune):
    item = entry(
        commune,
        dt.datetime(2026, 3, 2, 9, 15, tzinfo=PARIS),
        text='Guillemets " et accents é',
        image_alt="Plan",
    )
    item.image.save("plan.png", ContentFile(b"png"), save=True)
    entry(commune, dt.datetime(2026, 4, 2, 9, tzinfo=PARIS), network="facebook")
    response = client.get(reverse("archive:export_json", args=[commune.slug]))
    assert response["Content-Type"] == "application/json; charset=utf-8"
    data = json.loads(streamed(response))
    assert data["authority"]["name"] == "Saint-Malo"
    assert [e["network"] for e in data["entries"]] == ["facebook", "mastodon"]
    mastodon = data["entries"][1]
    assert mastodon["parts"] == ['Guillemets " et accents é']
    assert mastodon["published_at"] == "2026-03-02T09:15:00+01:00"
    assert mastodon["image"].startswith("http://127.0.0.1:8000/media/archive/")
    assert mastodon["image_alt"] == "Plan"
    assert mastodon["withdrawn_at"] is None

    march = client.get(
        reverse("archive:export_json", args=[commune.slug]), {"mois": "2026-03"}
    )
    assert len(json.loads(streamed(march))["entries"]) == 1
    empty = client.get(
        reverse("archive:export_json", args=[commune.slug]), {"mois": "2020-01"}
    )
    assert json.loads(streamed(empty))["entries"] == []
