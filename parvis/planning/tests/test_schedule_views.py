"""The scheduling step of the editor's workflow panel: "Programmer" an approved post
(date, time, channels per variant), then "Déplacer" or "Déprogrammer" it."""

import pytest
from django.urls import reverse

from parvis.planning import services
from parvis.planning.tests.calendar_helpers import paris
from parvis.publishing.models import Publication
from parvis.studio.models import PostState

pytestmark = pytest.mark.django_db


def editor_page(client, post):
    return client.get(reverse("studio:post", args=[post.authority.slug, post.pk]))


def route(name, post):
    return reverse(f"calendar:{name}", args=[post.authority.slug, post.pk])


@pytest.fixture
def approved(post, editor, validator):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    post.refresh_from_db()
    return post


def schedule_data(post, channel, day="2026-12-03", time="17:45"):
    data = {"date": day, "time": time}
    for variant in post.variants.all():
        data[f"canaux_{variant.pk}"] = [channel.pk]
    return data


def test_an_approved_post_offers_the_schedule_form_with_its_channels_checked(
    client_of, approved, editor, channel
):
    text = editor_page(client_of(editor), approved).text
    assert route("schedule", approved) in text
    assert '<label for="programmer-date">Date</label>' in text
    assert "Pas encore de date de publication." in text
    variant = approved.variants.order_by("pk").first()
    assert f'name="canaux_{variant.pk}" value="{channel.pk}"' in text
    assert "checked" in text
    assert "Canaux de « Mastodon — Habitants »" in text


def test_the_schedule_form_suggests_the_best_slots_of_the_checked_channels(
    client_of, approved, editor, channel
):
    text = editor_page(client_of(editor), approved).text
    assert "Créneaux conseillés" in text
    assert f"<h4>{channel}</h4>" in text
    assert "Prochains créneaux conseillés" in text
    assert "repère par défaut" in text  # no history yet: the documented defaults


def test_the_form_is_prefilled_with_the_planned_local_slot(
    client_of, approved, editor, channel
):
    services.post_plan(post=approved, actor=editor, planned_at=paris(2026, 12, 3, 8, 5))
    text = editor_page(client_of(editor), approved).text
    assert 'id="programmer-date" value="2026-12-03"' in text
    assert 'id="programmer-time" value="08:05"' in text
    assert "Prévue le <strong>jeudi 3 décembre 2026 à 08:05</strong>" in text


def test_a_draft_shows_its_date_and_a_link_to_choose_it_but_no_schedule_form(
    client_of, post, editor
):
    text = editor_page(client_of(editor), post).text
    assert route("schedule", post) not in text
    assert route("move", post) + "?next=" in text
    assert "Choisir la date" in text


def test_scheduling_from_the_panel_creates_the_publications(
    client_of, approved, editor, channel
):
    response = client_of(editor).post(
        route("schedule", approved), schedule_data(approved, channel), follow=True
    )
    assert response.redirect_chain[-1][0].endswith(f"/studio/{approved.pk}/#circuit")
    assert "Programmée le jeudi 3 décembre 2026 à 17:45 sur 1 canal." in (response.text)
    approved.refresh_from_db()
    assert approved.state == PostState.SCHEDULED
    assert approved.planned_at == paris(2026, 12, 3, 17, 45)
    publications = Publication.objects.filter(variant__post=approved)
    assert publications.count() == 2
    assert {p.scheduled_at for p in publications} == {approved.planned_at}


def test_a_scheduled_post_appears_in_the_calendar_at_its_local_time(
    client_of, approved, editor, channel
):
    client = client_of(editor)
    client.post(route("schedule", approved), schedule_data(approved, channel))
    month = reverse("calendar:month", args=[approved.authority.slug])
    text = client.get(month + "?mois=2026-12").text
    day = text[text.index('id="jour-2026-12-03"') : text.index('id="jour-2026-12-04"')]
    assert '<time datetime="2026-12-03T17:45:00+01:00"' in day
    assert "🕑</span> Programmée" in day
    assert "Fête du jeu" in day


def test_a_variant_without_a_chosen_channel_is_refused_in_french(
    client_of, approved, editor, channel
):
    data = schedule_data(approved, channel)
    first = approved.variants.order_by("pk").first()
    del data[f"canaux_{first.pk}"]
    page = client_of(editor).post(route("schedule", approved), data)
    assert page.status_code == 200
    assert "Choisissez au moins un canal pour cette variante." in page.text
    assert not Publication.objects.exists()


def test_a_post_not_approved_is_refused_in_french(client_of, post, editor, channel):
    page = client_of(editor).post(route("schedule", post), schedule_data(post, channel))
    assert "Seule une publication approuvée peut être programmée" in page.text
    post.refresh_from_db()
    assert post.state == PostState.DRAFT
    assert not Publication.objects.exists()


def test_the_schedule_page_of_a_post_not_approved_goes_back_to_the_editor(
    client_of, post, editor
):
    response = client_of(editor).get(route("schedule", post))
    assert response.status_code == 302
    assert response["Location"].endswith("#circuit")


def test_a_time_skipped_by_the_spring_change_is_refused(
    client_of, approved, editor, channel
):
    data = schedule_data(approved, channel, day="2027-03-28", time="02:15")
    page = client_of(editor).post(route("schedule", approved), data)
    assert "02:15 n&#x27;existe pas le 28/03/2027" in page.text
    assert not Publication.objects.exists()


def test_a_channel_of_another_authority_cannot_be_forced_in(
    client_of, approved, editor, channel, other_authority
):
    from parvis.channels.services import channel_connect
    from parvis.connectors.base import AccountInfo, Credentials

    foreign = channel_connect(
        authority=other_authority,
        network="mastodon",
        credentials=Credentials(access_token="t"),
        account=AccountInfo(account_id="lyon", handle="@lyon@social.example"),
        actor=None,
    )
    page = client_of(editor).post(
        route("schedule", approved), schedule_data(approved, foreign)
    )
    assert "Sélectionnez un choix valide" in page.text
    assert not Publication.objects.exists()


def test_a_scheduled_post_offers_move_and_unschedule(
    client_of, approved, editor, channel
):
    client = client_of(editor)
    client.post(route("schedule", approved), schedule_data(approved, channel))
    text = editor_page(client, approved).text
    assert route("schedule", approved) not in text
    assert f'action="{route("move", approved)}"' in text
    assert 'id="deplacer-time" value="17:45"' in text
    assert route("unschedule", approved) in text
    assert "Déprogrammer" in text


def test_moving_from_the_panel_comes_back_to_the_editor(
    client_of, approved, editor, channel
):
    client = client_of(editor)
    client.post(route("schedule", approved), schedule_data(approved, channel))
    back = reverse("studio:post", args=[approved.authority.slug, approved.pk])
    response = client.post(
        route("move", approved),
        {"date": "2026-12-04", "time": "07:00", "next": back + "#circuit"},
    )
    assert response["Location"] == back + "#circuit"
    scheduled = Publication.objects.filter(variant__post=approved)
    assert set(scheduled.values_list("scheduled_at", flat=True)) == {
        paris(2026, 12, 4, 7, 0)
    }


def test_unscheduling_from_the_panel(client_of, approved, editor, channel):
    client = client_of(editor)
    client.post(route("schedule", approved), schedule_data(approved, channel))
    response = client.post(route("unschedule", approved), follow=True)
    assert "Déprogrammée : ses envois prévus sont annulés" in response.text
    approved.refresh_from_db()
    assert approved.state == PostState.APPROVED
    states = Publication.objects.filter(variant__post=approved).values_list(
        "state", flat=True
    )
    assert set(states) == {"cancelled"}


def test_unscheduling_a_post_that_is_not_scheduled_says_why(
    client_of, approved, editor
):
    response = client_of(editor).post(route("unschedule", approved), follow=True)
    assert "Cette publication n&#x27;est pas programmée." in response.text


def test_an_agent_sees_no_schedule_form_and_is_refused_the_routes(
    client_of, approved, agent, channel
):
    client = client_of(agent)
    assert route("schedule", approved) not in editor_page(client, approved).text
    page = client.post(route("schedule", approved), schedule_data(approved, channel))
    assert page.status_code == 404
    assert client.post(route("unschedule", approved)).status_code == 404
