"""The barometer page: the installation's authorities measured from their own data,
an observatory's file for the others, the definitions, charts with their tables."""

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.inbox.models import Message
from parvis.insights.barometer_peers import installation_indicators
from parvis.insights.models import Boost, ObservatoryImport
from parvis.insights.selectors import barometer_population
from parvis.insights.tasks import read_observatory_import
from parvis.insights.testing import HEADER
from parvis.publishing.models import ArchiveEntry
from parvis.sources.models import Article

ARTICLE = (
    "La ville engage des travaux de réfection de la chaussée rue Pasteur à partir du "
    "lundi 3 mars. La circulation sera alternée par feux tricolores aux heures de "
    "pointe. Les riverains recevront un courrier détaillant les modalités pratiques."
)
WRITTEN = "🚧 Rue Pasteur, on refait la chaussée dès lundi ! Merci de votre patience 🙏"


def archive(authority, text, network="facebook", when=None):
    return ArchiveEntry.objects.create(
        authority=authority,
        network=network,
        channel_name="Ville",
        parts=[text],
        published_at=when or timezone.now(),
    )


@pytest.fixture
def measured(commune, other_authority):
    Article.objects.create(
        authority=commune,
        canonical_url="https://www.saint-malo.fr/travaux",
        url="https://www.saint-malo.fr/travaux",
        title="Travaux rue Pasteur",
        text=ARTICLE,
        content_hash="a" * 64,
    )
    archive(commune, ARTICLE + " https://www.saint-malo.fr/travaux")
    for _ in range(3):
        archive(commune, WRITTEN, network="instagram")
    archive(other_authority, WRITTEN, network="mastodon")
    now = timezone.now()
    for hours in (2, 4, 30):
        Message.objects.create(
            authority=commune,
            origin="form",
            kind="contact",
            text="Bonjour, une question sur les travaux",
            received_at=now - dt.timedelta(hours=hours + 1),
            first_response_at=now - dt.timedelta(hours=1),
        )
    return commune


def test_the_installation_s_authorities_are_measured_from_what_they_published(measured):
    by_code = {item.code: item for item in installation_indicators()}
    saint_malo = by_code["35288"]
    assert saint_malo.posts == 4 and saint_malo.republished_posts == 1
    assert saint_malo.present == {"facebook", "instagram"}
    assert not saint_malo.specific_mode and not saint_malo.republishing
    assert saint_malo.median_response_hours == pytest.approx(4)
    assert by_code["69123"].specific_mode


def test_a_recorded_boost_makes_its_authority_a_sponsor(measured):
    assert not {i.code: i for i in installation_indicators()}["35288"].sponsors
    Boost.objects.create(
        authority=measured,
        network="facebook",
        budget=50,
        starts_on=dt.date(2026, 3, 1),
        ends_on=dt.date(2026, 3, 7),
        origin=Boost.Origin.MANUAL,
    )
    assert {i.code: i for i in installation_indicators()}["35288"].sponsors


def observed_communes(count):
    from django.utils import timezone as tz

    from parvis.insights.models import ObservedAuthority

    observatory = ObservatoryImport.objects.create(
        file_name="observatoire.csv",
        state=ObservatoryImport.State.DONE,
        finished_at=tz.now(),
    )
    ObservedAuthority.objects.bulk_create(
        ObservedAuthority(
            observatory_import=observatory,
            kind="commune",
            code=f"{35001 + n}",
            band="1000-3499",
            present=["facebook"],
            posts=10,
            republished_posts=n,
            sponsors=n % 2 == 0,
            organic_reach_rate=0.05 * (n + 1),
        )
        for n in range(count)
    )


def test_members_see_the_barometer_with_their_standing_charts_and_definitions(
    client_of, editor, measured
):
    response = client_of(editor).get(reverse("insights:barometer", args=["saint-malo"]))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Saint-Malo parmi ses pairs" in page
    # One commune only: its figures would be another member's own.
    assert "Moins de 5 collectivités dans cette catégorie" in page
    assert 'role="img"' not in page and "masqué" in page
    observed_communes(6)
    page = client_of(editor).get(reverse("insights:barometer", args=["saint-malo"]))
    page = page.content.decode()
    assert 'role="img"' in page and "<title>Part des collectivités" in page
    assert "Données du graphique" in page
    assert "au moins 70 % de ses suites de cinq mots" in page
    assert "Mode spécifique" in page and "Portée organique" in page


def test_an_outsider_gets_404_on_the_barometer(client_of, outsider, commune):
    client = client_of(outsider)
    assert (
        client.get(reverse("insights:barometer", args=[commune.slug])).status_code
        == 404
    )
    assert (
        client.get(reverse("insights:barometer_csv", args=[commune.slug])).status_code
        == 404
    )


def test_the_barometer_table_downloads_as_csv(client_of, editor, measured):
    response = client_of(editor).get(
        reverse("insights:barometer_csv", args=["saint-malo"])
    )
    assert response["Content-Type"].startswith("text/csv")
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.splitlines()
    assert lines[0].startswith("group;label;authorities;present_facebook")
    # Two authorities only: the figures of the group are not given.
    assert any(line.startswith("all;Toutes;2;;;") for line in lines)
    observed_communes(6)
    response = client_of(editor).get(
        reverse("insights:barometer_csv", args=["saint-malo"])
    )
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    [communes] = [line for line in lines if line.startswith("commune;")]
    assert communes.startswith("commune;Communes;8;0,8750;")  # Lyon: Mastodon only


def observatory_file(rows):
    out = io.StringIO()
    import csv

    writer = csv.writer(out)
    writer.writerow(HEADER)
    writer.writerows(rows)
    return SimpleUploadedFile(
        "observatoire.csv", out.getvalue().encode(), content_type="text/csv"
    )


def test_staff_give_an_observatory_file_and_its_authorities_join_the_barometer(
    client_of, staff, measured, django_capture_on_commit_callbacks, settings
):
    membership_set(authority=measured, user=staff, role=Role.ADMIN, actor=None)
    upload = observatory_file(
        [
            ["region", "53", "account", "facebook", "", "", "", "", "", "90000"],
            [
                "region",
                "53",
                "post",
                "facebook",
                "",
                "2026-03-01",
                WRITTEN,
                "true",
                "",
                "",
            ],
            [
                "departement",
                "35",
                "post",
                "x",
                "",
                "2026-03-01",
                ARTICLE,
                "false",
                "",
                "",
            ],
            ["departement", "35", "article", "website", "", "", ARTICLE, "", "", ""],
            ["commune", "35288", "post", "x", "", "", ARTICLE, "false", "", ""],
            ["mairie", "1", "post", "x", "", "", "", "", "", ""],
        ]
    )
    client = client_of(staff)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("insights:observatory_import", args=["saint-malo"]),
            {"file": upload},
        )
    assert response.status_code == 302
    [task] = DBTaskResult.objects.filter(task_path__endswith="read_observatory_import")
    observatory = ObservatoryImport.objects.get()
    assert task.args_kwargs["args"] == [observatory.pk]
    assert observatory.state == ObservatoryImport.State.PENDING
    # Kept where no URL leads until the worker reads it.
    from pathlib import Path

    assert Path(observatory.file.path).is_relative_to(settings.PRIVATE_FILES_ROOT)
    assert not Path(observatory.file.path).is_relative_to(settings.MEDIA_ROOT)
    read_observatory_import.call(observatory.pk)  # what the worker does
    read_observatory_import.call(observatory.pk)  # a second run leaves it as it is
    observatory.refresh_from_db()
    assert observatory.state == ObservatoryImport.State.DONE, observatory.error
    assert (observatory.rows, observatory.rejected) == (6, 1)
    assert not observatory.file  # only the indicators are kept
    population = {(item.kind, item.code): item for item in barometer_population()}
    # Saint-Malo is measured from the installation, not from the file.
    assert population[("commune", "35288")].posts == 4
    assert population[("region", "53")].sponsors
    assert population[("departement", "35")].republishing
    page = client.get(
        reverse("insights:barometer", args=["saint-malo"])
    ).content.decode()
    assert "observatoire.csv" in page and "unknown authority_kind" in page


def test_only_the_installation_s_staff_may_give_an_observatory_file(
    client_of, admin_user, commune
):
    response = client_of(admin_user).post(
        reverse("insights:observatory_import", args=[commune.slug]),
        {"file": observatory_file([])},
        follow=True,
    )
    assert "équipe qui administre l&#x27;installation" in response.content.decode()
    assert not ObservatoryImport.objects.exists()


def test_a_file_without_the_barometer_s_columns_is_refused_in_french(
    client_of, staff, commune
):
    membership_set(authority=commune, user=staff, role=Role.ADMIN, actor=None)
    response = client_of(staff).post(
        reverse("insights:observatory_import", args=[commune.slug]),
        {"file": SimpleUploadedFile("x.csv", b"nom;texte\na;b\n")},
        follow=True,
    )
    assert "La première ligne doit nommer les colonnes" in response.content.decode()
    assert not ObservatoryImport.objects.exists()


def test_the_command_without_a_file_measures_the_installation(measured):
    out = io.StringIO()
    call_command("barometer", "--format", "md", stdout=out)
    assert "| Communes | 2 |" in out.getvalue()
    assert "Délai de réponse médian" in out.getvalue()


def test_an_import_that_fails_after_its_claim_ends_failed_not_running(
    staff, commune, monkeypatch
):
    from django.core.files.base import ContentFile

    from parvis.insights import services

    observatory = ObservatoryImport.objects.create(file_name="o.csv")
    observatory.file.save("o.csv", ContentFile(b"x"), save=True)

    def broken(*args, **kwargs):
        raise MemoryError("out of memory")

    monkeypatch.setattr(services, "read_barometer_file", broken)
    read_observatory_import.call(observatory.pk)
    observatory.refresh_from_db()
    assert observatory.state == ObservatoryImport.State.FAILED
    assert "n'a pas pu être lu" in observatory.error and not observatory.file
