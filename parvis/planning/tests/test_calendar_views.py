"""The calendar pages: month, week and list of one authority, the agency view of
several, the filters, the warnings in words, and who may see what."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from parvis.planning.models import Campaign
from parvis.planning.tests.calendar_helpers import paris, planned
from parvis.studio.models import Post

pytestmark = pytest.mark.django_db


def url(name, authority, query=""):
    return reverse(f"calendar:{name}", args=[authority.slug]) + query


@pytest.fixture
def december(commune, channel):
    """Three posts of the commune in December 2026, two of them 30 minutes apart."""
    return [
        planned(commune, paris(2026, 12, 8, 18, 0), title="Illuminations"),
        planned(commune, paris(2026, 12, 8, 18, 30), title="Patinoire"),
        planned(
            commune, paris(2026, 12, 21, 9, 15), title="Vacances", state="approved"
        ),
    ]


def test_the_month_is_a_table_with_a_caption_and_day_headers(
    client_of, editor, december, commune
):
    page = client_of(editor).get(url("month", commune, "?mois=2026-12"))
    assert page.status_code == 200
    text = page.text
    assert "<caption>Publications de Saint-Malo prévues en décembre 2026" in text
    assert '<th scope="col"><abbr title="lundi">lun</abbr></th>' in text
    assert '<th scope="row" class="cal-week">' in text
    assert '<h2 id="periode">Décembre 2026</h2>' in text


def test_each_post_shows_its_time_state_title_link_networks_and_move_link(
    client_of, editor, december, commune
):
    text = client_of(editor).get(url("month", commune, "?mois=2026-12")).text
    vacances = december[2]
    assert '<time datetime="2026-12-21T09:15:00+01:00"' in text
    assert '<span aria-hidden="true">✓</span> Approuvée' in text
    assert reverse("studio:post", args=[commune.slug, vacances.pk]) in text
    assert "Mastodon</p>" in text
    move = reverse("calendar:move", args=[commune.slug, vacances.pk])
    assert f'href="{move}?next=' in text


def test_a_conflict_is_said_in_words_with_its_icon(
    client_of, editor, december, commune
):
    text = client_of(editor).get(url("month", commune, "?mois=2026-12")).text
    assert "<strong>Conflit :</strong> À 30 min de « Patinoire » (18:30)" in text
    assert "2 publications à moins de l'écart minimal" in text


def test_a_campaign_week_without_posts_is_shown_as_a_gap(client_of, editor, commune):
    Campaign.objects.create(
        authority=commune,
        name="Fêtes de fin d'année",
        slug="fetes",
        objective="lien_social",
        starts_on=dt.date(2026, 12, 14),
        ends_on=dt.date(2026, 12, 20),
    )
    text = client_of(editor).get(url("month", commune, "?mois=2026-12")).text
    assert "Campagne « Fêtes de fin d&#x27;année » : 0 publication(s)" in text
    assert "« Fêtes de fin d&#x27;année » : 0 sur 1" in text


def test_the_new_post_link_is_offered_on_coming_days_only(client_of, editor, commune):
    text = client_of(editor).get(url("month", commune, "?mois=2026-11")).text
    new = reverse("studio:new", args=[commune.slug])
    assert f"{new}?planned=2026-11-30" in text
    assert f"{new}?planned=2026-11-02" not in text  # before today (2026-11-26)


def test_previous_and_next_months_keep_the_filters(client_of, editor, commune):
    text = client_of(editor).get(url("month", commune, "?mois=2026-12&etat=draft")).text
    assert 'href="?mois=2026-11&amp;etat=draft" rel="prev"' in text
    assert 'href="?mois=2027-01&amp;etat=draft" rel="next"' in text


def test_the_state_filter_hides_the_other_posts(client_of, editor, december, commune):
    text = (
        client_of(editor).get(url("month", commune, "?mois=2026-12&etat=approved")).text
    )
    assert "Vacances" in text
    assert "Illuminations" not in text
    assert '<label for="id_etat">État</label>' in text
    assert "— filtrées" in text


def test_a_busy_day_lists_the_first_posts_then_links_to_the_rest(
    client_of, editor, commune
):
    for minute in range(8):
        planned(commune, paris(2026, 12, 9, 10, minute * 5), networks=())
    text = client_of(editor).get(url("month", commune, "?mois=2026-12")).text
    assert text.count('<li class="cal-entry') == 6
    assert "+ 2 autres publications" in text
    assert "du=2026-12-09&amp;au=2026-12-09" in text
    assert "8 publications ce jour : plus que les 4 prévues" in text


def test_the_autumn_change_day_shows_both_half_past_two(client_of, editor, commune):
    planned(commune, paris(2026, 10, 25, 2, 30), title="Heure d'été", networks=())
    planned(
        commune, paris(2026, 10, 25, 2, 30, fold=1), title="Heure d'hiver", networks=()
    )
    planned(commune, paris(2026, 10, 25, 23, 30), title="Soir", networks=())
    text = client_of(editor).get(url("month", commune, "?mois=2026-10")).text
    day = text[text.index('id="jour-2026-10-25"') : text.index('id="jour-2026-10-26"')]
    assert '<time datetime="2026-10-25T02:30:00+02:00"' in day
    assert '<time datetime="2026-10-25T02:30:00+01:00"' in day
    assert '<time datetime="2026-10-25T23:30:00+01:00"' in day


def test_the_spring_change_day_shows_its_posts_at_local_time(
    client_of, editor, commune
):
    planned(commune, dt.datetime(2026, 3, 29, 1, 0, tzinfo=dt.UTC), networks=())
    text = client_of(editor).get(url("week", commune, "?semaine=2026-03-29")).text
    assert '<time datetime="2026-03-29T03:00:00+02:00"' in text
    assert "Semaine 13, du 23 mars au 29 mars 2026" in text


def test_the_week_shows_seven_days_with_times_campaigns_and_channels(
    client_of, editor, december, commune
):
    text = client_of(editor).get(url("week", commune, "?semaine=2026-12-09")).text
    assert "Semaine 50, du 7 décembre au 13 décembre 2026" in text
    assert text.count('class="cal-weekday') == 7
    assert "Mardi 8 décembre" in text
    assert ">18:00</time>" in text and ">18:30</time>" in text
    assert "Canaux : Mastodon @ville@social.example" in text
    assert 'href="?semaine=2026-11-30" rel="prev"' in text


def test_the_list_is_sorted_by_date_both_ways(client_of, editor, december, commune):
    client = client_of(editor)
    query = "?du=2026-12-01&au=2026-12-31"
    text = client.get(url("list", commune, query)).text
    assert text.index("Illuminations") < text.index("Vacances")
    assert 'aria-sort="ascending"' in text
    text = client.get(url("list", commune, query + "&ordre=desc")).text
    assert text.index("Vacances") < text.index("Illuminations")
    assert 'aria-sort="descending"' in text


def test_the_list_filters_by_dates_and_channel(
    client_of, editor, december, commune, channel
):
    client = client_of(editor)
    text = client.get(url("list", commune, "?du=2026-12-20&au=2026-12-31")).text
    assert "Vacances" in text and "Illuminations" not in text
    assert '<label for="filtre-du">Du</label>' in text
    other = planned(commune, paris(2026, 12, 22, 10), title="Sur Facebook")
    other.variants.update(network="facebook")
    query = f"?du=2026-12-20&au=2026-12-31&canal={channel.pk}"
    text = client.get(url("list", commune, query)).text
    assert "Vacances" in text and "Sur Facebook" not in text


def test_the_agency_sees_its_authorities_with_initials_and_can_narrow(
    client_of, agency, commune, other_authority
):
    planned(commune, paris(2026, 12, 9, 10), title="À Saint-Malo", networks=())
    planned(other_authority, paris(2026, 12, 9, 11), title="À Lyon", networks=())
    client = client_of(agency)
    text = client.get(reverse("calendar:agency_month") + "?mois=2026-12").text
    assert "Calendrier de vos collectivités" in text
    assert "À Saint-Malo" in text and "À Lyon" in text
    assert (
        '<span aria-hidden="true">SM</span><span class="visually-hidden">Saint-Malo'
        in text
    )
    assert (
        '<span aria-hidden="true">LY</span><span class="visually-hidden">Lyon' in text
    )
    assert 'name="c" value="saint-malo"' in text
    query = f"?mois=2026-12&c={commune.slug}"
    text = client.get(reverse("calendar:agency_month") + query).text
    assert "À Saint-Malo" in text and "À Lyon" not in text


def test_the_agency_view_never_shows_an_authority_the_user_is_not_in(
    client_of, editor, commune, other_authority
):
    planned(other_authority, paris(2026, 12, 9, 11), title="À Lyon", networks=())
    query = f"?mois=2026-12&c={other_authority.slug}"
    for name in ("agency_month", "agency_week", "agency_list"):
        page = client_of(editor).get(reverse(f"calendar:{name}") + query)
        assert page.status_code == 200
        assert "À Lyon" not in page.text


def test_the_calendar_needs_to_be_signed_in(client, commune):
    page = client.get(reverse("calendar:agency_month"))
    assert page.status_code == 302
    assert client.get(url("month", commune)).status_code == 302


def test_an_outsider_gets_404_on_every_route_of_the_authority(
    client_of, outsider, commune, december
):
    client = client_of(outsider)
    post = december[0]
    for name in ("month", "week", "list"):
        assert client.get(url(name, commune)).status_code == 404
    for name in ("move", "schedule", "unschedule"):
        route = reverse(f"calendar:{name}", args=[commune.slug, post.pk])
        assert client.get(route).status_code == 404
        assert (
            client.post(route, {"date": "2026-12-30", "time": "10:00"}).status_code
            == 404
        )
    post.refresh_from_db()
    assert post.planned_at == paris(2026, 12, 8, 18, 0)


def test_a_post_of_another_authority_is_not_found_through_mine(
    client_of, editor, commune, other_authority
):
    foreign = planned(other_authority, paris(2026, 12, 9, 11), networks=())
    route = reverse("calendar:move", args=[commune.slug, foreign.pk])
    assert client_of(editor).get(route).status_code == 404


def test_an_agent_reads_the_calendar_but_moves_nothing(
    client_of, agent, commune, december
):
    client = client_of(agent)
    text = client.get(url("month", commune, "?mois=2026-12")).text
    assert "Illuminations" in text
    assert "Déplacer" not in text
    assert "Nouvelle publication ce jour" not in text
    route = reverse("calendar:move", args=[commune.slug, december[0].pk])
    assert client.get(route).status_code == 404


def test_the_month_view_queries_do_not_grow_with_the_posts(
    client_of, editor, commune, channel
):
    client = client_of(editor)
    campaign = Campaign.objects.create(
        authority=commune,
        name="Hiver",
        slug="hiver",
        objective="information_service",
        starts_on=dt.date(2026, 12, 1),
        ends_on=dt.date(2026, 12, 31),
    )

    def add(count, start):
        for n in range(start, start + count):
            planned(
                commune,
                paris(2026, 12, 1 + n % 28, 8 + n % 12, n % 60),
                networks=("mastodon", "facebook"),
                campaign=campaign if n % 2 else None,
                state=["draft", "approved", "scheduled"][n % 3],
            )

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url("month", commune, "?mois=2026-12")).status_code == 200
        return len(captured)

    add(10, 0)
    few = queries()
    add(190, 10)
    assert Post.objects.count() == 200
    assert queries() == few
    assert few <= 20


def test_a_new_post_from_a_day_of_the_calendar_gets_that_day(
    client_of, editor, commune
):
    client = client_of(editor)
    page = client.get(
        reverse("studio:new", args=[commune.slug]) + "?planned=2026-12-24"
    )
    assert 'value="2026-12-24"' in page.text
    assert 'value="09:00"' in page.text
    response = client.post(
        reverse("studio:new", args=[commune.slug]),
        {
            "origin": "blank",
            "title": "Réveillon solidaire",
            "text": "Le repas solidaire du réveillon a lieu à la salle des fêtes.",
            "networks": ["mastodon"],
            "audiences": [commune.audiences.get(slug="habitants").pk],
            "planned_on": "2026-12-24",
            "planned_time": "12:00",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Réveillon solidaire")
    assert post.planned_at == paris(2026, 12, 24, 12, 0)


def test_a_new_post_on_a_time_that_does_not_exist_is_refused_in_french(
    client_of, editor, commune
):
    response = client_of(editor).post(
        reverse("studio:new", args=[commune.slug]),
        {
            "origin": "blank",
            "title": "Changement d'heure",
            "text": "Pensez à avancer vos montres.",
            "networks": ["mastodon"],
            "audiences": [commune.audiences.get(slug="habitants").pk],
            "planned_on": "2027-03-28",
            "planned_time": "02:30",
        },
    )
    assert response.status_code == 200
    assert "02:30 n&#x27;existe pas le 28/03/2027" in response.text
    assert not Post.objects.exists()


def test_a_malformed_or_far_away_period_falls_back_to_the_current_one(
    client_of, editor, commune
):
    client = client_of(editor)
    for query in ("?mois=9999-12", "?mois=2026-13", "?mois=abc", "?mois=0001-01"):
        page = client.get(url("month", commune, query))
        assert page.status_code == 200
        assert "Novembre 2026" in page.text
    for query in ("?semaine=9999-12-31", "?semaine=hier"):
        assert client.get(url("week", commune, query)).status_code == 200
    page = client.get(url("list", commune, "?du=9999-12-31&au=0001-01-01&canal=x"))
    assert page.status_code == 200


def test_a_new_post_on_a_past_day_is_not_created(client_of, editor, commune):
    response = client_of(editor).post(
        reverse("studio:new", args=[commune.slug]),
        {
            "origin": "blank",
            "title": "Trop tard",
            "text": "Le marché de la veille a eu lieu.",
            "networks": ["mastodon"],
            "audiences": [commune.audiences.get(slug="habitants").pk],
            "planned_on": "2026-01-05",
            "planned_time": "10:00",
        },
    )
    assert response.status_code == 200
    assert "Cette date est passée" in response.text
    assert not Post.objects.exists()
