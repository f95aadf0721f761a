"""Moving a post to another slot with the plain form of the calendar (date and time
in local time, no JavaScript): success, and the refusals said in French."""

import pytest
from django.urls import reverse

from parvis.planning import services
from parvis.planning.tests.calendar_helpers import paris, planned
from parvis.publishing.models import Publication
from parvis.studio.models import Post, PostState, Variant

pytestmark = pytest.mark.django_db


def move_url(post):
    return reverse("calendar:move", args=[post.authority.slug, post.pk])


@pytest.fixture
def draft(commune):
    return planned(commune, paris(2026, 12, 8, 18, 0), title="Illuminations")


def test_the_form_opens_on_the_current_local_slot(client_of, editor, draft):
    page = client_of(editor).get(move_url(draft))
    assert page.status_code == 200
    assert '<label for="deplacer-date">Date' in page.text
    assert 'type="date" name="date" value="2026-12-08"' in page.text
    assert 'type="time" name="time" value="18:00"' in page.text
    assert "Prévue le mardi 8 décembre 2026 à 18:00." in page.text


def test_a_post_without_a_date_opens_on_the_suggested_day(client_of, editor, commune):
    post = planned(commune, None, networks=())
    page = client_of(editor).get(move_url(post) + "?jour=2026-12-31")
    assert 'value="2026-12-31"' in page.text
    assert 'value="09:00"' in page.text


def test_moving_saves_the_local_slot_and_goes_back(client_of, editor, draft, commune):
    back = reverse("calendar:month", args=[commune.slug]) + "?mois=2026-12"
    response = client_of(editor).post(
        move_url(draft), {"date": "2027-01-05", "time": "08:30", "next": back}
    )
    assert response.status_code == 302
    assert response["Location"] == back
    draft.refresh_from_db()
    assert draft.planned_at == paris(2027, 1, 5, 8, 30)


def test_without_a_way_back_the_month_of_the_new_date_opens(
    client_of, editor, draft, commune
):
    response = client_of(editor).post(
        move_url(draft), {"date": "2027-07-14", "time": "22:00"}, follow=True
    )
    assert response.redirect_chain[-1][0].endswith("/calendrier/?mois=2027-07")
    assert "« Illuminations » est prévue le mercredi 14 juillet 2027 à 22:00." in (
        response.text
    )
    draft.refresh_from_db()
    assert draft.planned_at == paris(2027, 7, 14, 22, 0)


def test_a_way_back_to_another_site_is_ignored(client_of, editor, draft):
    response = client_of(editor).post(
        move_url(draft),
        {"date": "2027-01-05", "time": "08:30", "next": "https://example.com/"},
    )
    assert "example.com" not in response["Location"]


def test_a_time_skipped_by_the_spring_change_is_refused_in_french(
    client_of, editor, draft
):
    page = client_of(editor).post(
        move_url(draft), {"date": "2027-03-28", "time": "02:30"}
    )
    assert page.status_code == 200
    assert "02:30 n&#x27;existe pas le 28/03/2027" in page.text
    assert "passage à l&#x27;heure d&#x27;été" in page.text
    draft.refresh_from_db()
    assert draft.planned_at == paris(2026, 12, 8, 18, 0)


def test_the_autumn_repeated_hour_means_its_first_occurrence(client_of, editor, draft):
    client_of(editor).post(move_url(draft), {"date": "2027-10-31", "time": "02:30"})
    draft.refresh_from_db()
    assert draft.planned_at == paris(2027, 10, 31, 2, 30, fold=0)


def test_a_past_date_is_refused_in_french(client_of, editor, draft):
    page = client_of(editor).post(
        move_url(draft), {"date": "2026-01-05", "time": "10:00"}
    )
    assert "Cette date est passée : choisissez-en une autre." in page.text


def test_missing_or_malformed_values_are_explained(client_of, editor, draft):
    page = client_of(editor).post(move_url(draft), {"date": "demain", "time": ""})
    assert "Saisissez une date valide" in page.text
    assert "Choisissez l&#x27;heure." in page.text
    assert 'class="error-summary"' in page.text


def test_a_published_post_shows_why_it_cannot_move(client_of, editor, draft):
    Post.objects.filter(pk=draft.pk).update(state=PostState.PUBLISHED)
    page = client_of(editor).get(move_url(draft))
    assert "Cette publication est déjà partie : elle ne se déplace plus." in page.text
    assert 'name="date"' not in page.text
    page = client_of(editor).post(
        move_url(draft), {"date": "2027-01-05", "time": "10:00"}
    )
    assert "Cette publication est déjà partie" in page.text
    draft.refresh_from_db()
    assert draft.planned_at == paris(2026, 12, 8, 18, 0)


def test_the_election_guard_refuses_the_day_of_a_vote(
    client_of, commune, editor, validator
):
    post = Post.objects.create(authority=commune, title="Bilan", created_by=editor)
    Variant.objects.create(
        post=post,
        network="mastodon",
        parts=["Bilan du mandat : promesse tenue, grâce à l'équipe municipale !"],
    )
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator, comment="Obligation légale.")
    vote = commune.elections.order_by("first_round").first().first_round
    page = client_of(editor).post(
        move_url(post), {"date": vote.isoformat(), "time": "10:00"}
    )
    assert page.status_code == 200
    assert 'class="error-summary"' in page.text
    post.refresh_from_db()
    assert post.planned_at is None


def test_a_scheduled_post_moves_with_its_publications(
    client_of, editor, validator, post, channel
):
    services.post_submit_for_review(post=post, actor=editor)
    services.post_approve(post=post, actor=validator)
    services.post_schedule(post=post, actor=editor, planned_at=paris(2026, 12, 1, 9))
    client_of(editor).post(move_url(post), {"date": "2026-12-02", "time": "11:15"})
    post.refresh_from_db()
    assert post.planned_at == paris(2026, 12, 2, 11, 15)
    scheduled = Publication.objects.filter(variant__post=post)
    assert set(scheduled.values_list("scheduled_at", flat=True)) == {post.planned_at}
