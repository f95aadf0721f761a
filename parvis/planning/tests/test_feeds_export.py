import csv
import datetime as dt
import io
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone

from parvis.planning.models import Campaign
from parvis.planning.views_feeds import spreadsheet_safe
from parvis.publishing.models import Publication
from parvis.studio.models import Post, PostState, Variant

pytestmark = pytest.mark.django_db
PARIS = ZoneInfo("Europe/Paris")


def export(client, authority, **params):
    return client.get(reverse("feeds:export_csv", args=[authority.slug]), params)


def rows_of(response):
    body = b"".join(response.streaming_content).decode("utf-8")
    assert body.startswith("\ufeff")
    return list(csv.reader(io.StringIO(body[1:]), delimiter=";"))


def planned(commune, title, when, *, state=PostState.APPROVED, parts=("Texte",)):
    post = Post.objects.create(
        authority=commune, title=title, state=state, planned_at=when
    )
    variant = Variant.objects.create(post=post, network="mastodon", parts=list(parts))
    return post, variant


def test_the_export_has_french_columns_a_bom_and_semicolons(
    client_of, commune, editor, channel
):
    campaign = Campaign.objects.create(
        authority=commune,
        name="Rentrée",
        slug="rentree",
        objective="information_service",
        starts_on=dt.date(2026, 9, 1),
        ends_on=dt.date(2026, 9, 30),
    )
    post, variant = planned(
        commune,
        "Rentrée scolaire",
        dt.datetime(2026, 9, 1, 7, 30, tzinfo=PARIS),
        state=PostState.SCHEDULED,
        parts=["Bonne rentrée ; à tous !", "Suite du fil"],
    )
    post.campaign = campaign
    post.save(update_fields=["campaign"])
    Variant.objects.create(post=post, network="facebook", parts=["Sur Facebook"])
    Publication.objects.create(
        authority=commune,
        variant=variant,
        channel=channel,
        scheduled_at=post.planned_at,
        next_attempt_at=post.planned_at,
        state_changed_at=timezone.now(),
    )
    response = export(client_of(editor), commune, debut="2026-09-01", fin="2026-09-30")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in response["Content-Disposition"]
    header, row = rows_of(response)
    assert header == [
        "Date",
        "Heure (Europe/Paris)",
        "Titre",
        "État",
        "Campagne",
        "Réseaux",
        "Canaux",
        "Texte de la première variante",
        "Lien vers l'éditeur",
    ]
    assert row[:7] == [
        "01/09/2026",
        "07:30",
        "Rentrée scolaire",
        "Programmée",
        "Rentrée",
        "Facebook, Mastodon",
        "Mastodon @ville@social.example",
    ]
    assert row[7] == "Bonne rentrée ; à tous !\n\nSuite du fil"
    assert row[8].endswith(reverse("studio:post", args=[commune.slug, post.pk]))


def test_the_range_is_in_local_days_both_included(client_of, commune, editor):
    # 30 September 23:30 in Paris is still September; 1 October 00:30 is not.
    planned(commune, "Dernier soir", dt.datetime(2026, 9, 30, 23, 30, tzinfo=PARIS))
    planned(commune, "Premier matin", dt.datetime(2026, 10, 1, 0, 30, tzinfo=PARIS))
    planned(commune, "Veille", dt.datetime(2026, 8, 31, 23, 59, tzinfo=PARIS))
    planned(commune, "Premier", dt.datetime(2026, 9, 1, 0, 0, tzinfo=PARIS))
    rows = rows_of(
        export(client_of(editor), commune, debut="2026-09-01", fin="2026-09-30")
    )
    assert [row[2] for row in rows[1:]] == ["Premier", "Dernier soir"]


def test_by_default_the_current_month_is_exported_drafts_included(
    client_of, commune, editor
):
    today = timezone.localdate(timezone=PARIS)
    inside = dt.datetime.combine(today.replace(day=1), dt.time(12), tzinfo=PARIS)
    planned(commune, "Ce mois-ci", inside, state=PostState.DRAFT)
    planned(commune, "Le mois dernier", inside - dt.timedelta(days=2))
    response = export(client_of(editor), commune)
    assert [row[2] for row in rows_of(response)[1:]] == ["Ce mois-ci"]
    assert today.strftime("%Y-%m-01") in response["Content-Disposition"]


def test_cells_that_a_spreadsheet_would_run_are_neutralised(client_of, commune, editor):
    when = dt.datetime(2026, 9, 10, 9, tzinfo=PARIS)
    planned(commune, '=HYPERLINK("http://evil.example")', when, parts=["+33 6 00"])
    planned(commune, "@moi", when + dt.timedelta(hours=1), parts=["-2", "\tx"])
    planned(commune, 'Guillemets "doubles"', when + dt.timedelta(hours=2))
    rows = rows_of(
        export(client_of(editor), commune, debut="2026-09-10", fin="2026-09-10")
    )
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example")'
    assert rows[1][7] == "'+33 6 00"
    assert rows[2][2] == "'@moi"
    assert rows[2][7] == "'-2\n\n\tx"
    assert rows[3][2] == 'Guillemets "doubles"'
    assert spreadsheet_safe("\rx") == "'\rx"
    assert spreadsheet_safe("Normal = ok") == "Normal = ok"


def test_a_wrong_range_is_refused_in_french(client_of, commune, editor):
    client = client_of(editor)
    response = export(client, commune, debut="2026-09-30", fin="2026-09-01")
    assert response.status_code == 400
    assert "La fin doit suivre le début" in response.content.decode()
    assert export(client, commune, debut="demain").status_code == 400


def test_a_large_range_is_streamed_without_a_query_per_post(
    client_of, commune, editor, channel, django_assert_max_num_queries
):
    start = dt.datetime(2026, 1, 1, 9, tzinfo=PARIS)
    for day in range(30):
        post, variant = planned(commune, f"P{day}", start + dt.timedelta(days=day))
        Publication.objects.create(
            authority=commune,
            variant=variant,
            channel=channel,
            scheduled_at=post.planned_at,
            next_attempt_at=post.planned_at,
            state_changed_at=timezone.now(),
        )
    client = client_of(editor)
    response = export(client, commune, debut="2026-01-01", fin="2026-12-31")
    # Read as it streams: the posts, their variants, their publications and channels.
    with django_assert_max_num_queries(3):
        rows = rows_of(response)
    assert len(rows) == 31


def test_every_member_may_export_but_an_outsider_gets_404(
    client_of, commune, outsider, agent
):
    assert export(client_of(agent), commune).status_code == 200
    assert export(client_of(outsider), commune).status_code == 404


def test_the_export_holds_only_the_authority_s_own_posts(
    client_of, commune, other_authority, editor
):
    when = dt.datetime(2026, 9, 10, 9, tzinfo=PARIS)
    planned(commune, "Chez nous", when)
    planned(other_authority, "Ailleurs", when)
    rows = rows_of(
        export(client_of(editor), commune, debut="2026-09-01", fin="2026-09-30")
    )
    assert [row[2] for row in rows[1:]] == ["Chez nous"]
