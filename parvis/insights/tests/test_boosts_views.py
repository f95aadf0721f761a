"""The sponsoring pages: every member reads, writers record, change, delete and
import; errors in French; CSV downloads; outsiders get 404 everywhere."""

import datetime as dt
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import make_user
from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.insights.models import Boost
from parvis.insights.tests.builders import make_channel, published

pytestmark = pytest.mark.django_db

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def elected(commune, admin_user):
    user = make_user("elue@saint-malo.example")
    membership_set(authority=commune, user=user, role=Role.ELECTED, actor=admin_user)
    return user


@pytest.fixture
def boost(commune):
    return Boost.objects.create(
        authority=commune,
        network="facebook",
        name="Fête de la mer",
        budget=Decimal(80),
        spent=Decimal("76.40"),
        reach=8214,
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 7),
        origin=Boost.Origin.MANUAL,
    )


def url(name, commune, *args):
    return reverse(f"boosts:{name}", args=[commune.slug, *args])


def upload(name, content=None):
    data = content if content is not None else (FIXTURES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="text/csv")


def test_every_member_reads_the_boosts_and_their_totals(
    client_of, commune, elected, boost
):
    response = client_of(elected).get(url("list", commune))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Fête de la mer" in page
    assert "9,30 €" in page  # 76.40 € for 8,214 people: per 1,000
    assert "Nouvelle sponsorisation" not in page  # a reader does not write
    assert "Importer le fichier" not in page
    assert "Ce qui est habituel sur chaque compte" in page


def test_a_reader_cannot_reach_the_writing_pages(client_of, commune, elected, boost):
    client = client_of(elected)

    assert client.get(url("new", commune)).status_code == 404
    assert client.get(url("edit", commune, boost.pk)).status_code == 404
    assert client.post(url("delete", commune, boost.pk)).status_code == 404
    assert client.post(url("import", commune)).status_code == 404
    assert Boost.objects.count() == 1


def test_an_outsider_gets_404_on_every_page(client_of, commune, outsider, boost):
    client = client_of(outsider)
    pages = [
        ("get", url("list", commune)),
        ("get", url("new", commune)),
        ("get", url("edit", commune, boost.pk)),
        ("get", url("delete", commune, boost.pk)),
        ("post", url("delete", commune, boost.pk)),
        ("get", url("import", commune)),
        ("post", url("import", commune)),
        ("get", url("export_csv", commune)),
        ("get", url("template_csv", commune)),
        ("get", url("reach", commune)),
    ]

    for method, address in pages:
        assert getattr(client, method)(address).status_code == 404, address
    assert Boost.objects.count() == 1


def test_a_boost_of_another_authority_is_404_through_ones_own_address(
    client_of, commune, other_authority, editor
):
    theirs = Boost.objects.create(
        authority=other_authority,
        network="facebook",
        budget=Decimal(10),
        starts_on=dt.date(2026, 6, 1),
        ends_on=dt.date(2026, 6, 1),
        origin=Boost.Origin.MANUAL,
    )

    response = client_of(editor).get(url("edit", commune, theirs.pk))

    assert response.status_code == 404


def test_anonymous_visitors_are_sent_to_log_in(client, commune):
    response = client.get(url("list", commune))

    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]


def test_a_writer_records_a_boost_linked_to_a_publication(client_of, commune, editor):
    publication = published(
        make_channel(commune), dt.datetime.now(dt.UTC), title="Fête de la mer"
    )

    response = client_of(editor).post(
        url("new", commune),
        {
            "network": "facebook",
            "publication": publication.pk,
            "name": "Fête de la mer — sponsorisée",
            "audience": commune.audiences.get(slug="familles").pk,
            "target": "Saint-Malo + 10 km",
            "budget": "80",
            "spent": "76,40",
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-07",
            "reach": "8214",
            "impressions": "15102",
            "clicks": "",
        },
    )

    assert response.status_code == 302
    saved = Boost.objects.get()
    assert (saved.publication, saved.spent, saved.clicks) == (
        publication,
        Decimal("76.40"),
        None,
    )
    assert saved.audience.slug == "familles"


def test_errors_are_explained_in_french(client_of, commune, editor):
    response = client_of(editor).post(
        url("new", commune),
        {
            "network": "facebook",
            "budget": "beaucoup",
            "spent": "-3",
            "starts_on": "2026-06-07",
            "ends_on": "2026-06-01",
            "reach": "900",
            "impressions": "500",
        },
    )

    assert response.status_code == 200
    page = response.content.decode()
    assert "Le formulaire contient 4 erreurs" in page
    assert "Écrivez un montant en euros, par exemple 150 ou 249,90." in page
    assert "Un montant ne peut pas être négatif." in page
    assert "La fin de la sponsorisation ne peut précéder son début." in page
    assert "La portée ne peut dépasser les impressions" in page
    assert not Boost.objects.exists()


def test_a_writer_changes_then_deletes_a_boost_after_confirming(
    client_of, commune, validator, boost
):
    client = client_of(validator)
    form = client.get(url("edit", commune, boost.pk))
    assert form.status_code == 200
    assert 'value="76,40"' in form.content.decode()

    client.post(
        url("edit", commune, boost.pk),
        {
            "network": "facebook",
            "name": "Fête de la mer",
            "budget": "80",
            "spent": "79,90",
            "starts_on": "2026-06-01",
            "ends_on": "2026-06-07",
        },
    )
    boost.refresh_from_db()
    assert boost.spent == Decimal("79.90")

    confirm = client.get(url("delete", commune, boost.pk))
    assert "Supprimer cette sponsorisation ?" in confirm.content.decode()
    assert Boost.objects.exists()
    client.post(url("delete", commune, boost.pk))
    assert not Boost.objects.exists()


def test_importing_an_export_shows_what_was_done_and_the_lines_left_out(
    client_of, commune, editor
):
    client = client_of(editor)

    response = client.post(
        url("import", commune), {"file": upload("meta_ads_manager_bad_rows.csv")}
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert "Gestionnaire de publicités Meta" in page
    assert "2 sponsorisations créées" in page
    assert "4 lignes écartées" in page
    assert "Ligne 4 : montant dépensé négatif « -5.00 »." in page

    again = client.post(
        url("import", commune), {"file": upload("meta_ads_manager_bad_rows.csv")}
    )
    assert "2 déjà à jour" in again.content.decode()
    assert Boost.objects.count() == 2


def test_a_refused_file_says_why_and_imports_nothing(client_of, commune, editor):
    response = client_of(editor).post(
        url("import", commune), {"file": upload("x.xlsx", b"PK\x03\x04\x00\x00")}
    )

    page = response.content.decode()
    assert "Fichier refusé" in page
    assert "classeur Excel" in page
    assert not Boost.objects.exists()


def test_importing_without_a_file_asks_for_one(client_of, commune, editor):
    response = client_of(editor).post(url("import", commune), follow=True)

    assert "Choisissez le fichier à importer." in response.content.decode()


def test_the_boosts_download_as_csv_for_spreadsheets(
    client_of, commune, elected, boost
):
    response = client_of(elected).get(url("export_csv", commune))

    content = b"".join(response.streaming_content).decode()
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    header, line = content.lstrip("\ufeff").splitlines()
    assert header.startswith("Réseau;Nom;Publication;Public;Ciblage;Début;Fin")
    assert line == (
        "Facebook;Fête de la mer;;;;01/06/2026;07/06/2026;80,00;76,40;8214;;;9,30;"
        "saisie;"
    )


def test_the_template_downloads_with_the_documented_columns(
    client_of, commune, elected
):
    response = client_of(elected).get(url("template_csv", commune))

    content = b"".join(response.streaming_content).decode()
    assert content.lstrip("\ufeff").splitlines()[0] == (
        "reseau;nom;debut;fin;budget;depense;portee;impressions;clics;cible;identifiant"
    )


def test_the_reach_page_shows_organic_rates_and_sponsored_posts_apart(
    client_of, commune, elected, boost
):
    channel = make_channel(commune)
    now = dt.datetime.now(dt.UTC)
    published(
        channel,
        now - dt.timedelta(days=2),
        counters={"reach": 900},
        title="Sans abonnés",
    )
    sponsored = published(
        channel,
        now - dt.timedelta(days=1),
        counters={"reach": 9000},
        title="Sponsorisée",
    )
    boost.publication = sponsored
    boost.save()

    response = client_of(elected).get(url("reach", commune))

    page = response.content.decode()
    assert response.status_code == 200
    assert "Non fourni" in page  # no follower count for the first one
    assert "Non calculée (sponsorisée)" in page
    assert "portée payée :" in page and "8\u202f214" in page
