"""Campaign pages: the list, a campaign's page, the form (indicators by objective,
the authority's own audiences and channels, French dates and messages), deletion
after confirmation, the campaign of a post from the studio; who may do what, and an
outsider's 404 everywhere."""

import datetime as dt
import html
import re

import pytest
from django.urls import reverse

from parvis.planning.models import Campaign, Objective
from parvis.planning.services import campaign_save, post_set_campaign
from parvis.studio.models import Post

pytestmark = pytest.mark.django_db

START = dt.date(2031, 3, 3)


@pytest.fixture
def campaign(commune, editor):
    return campaign_save(
        authority=commune,
        actor=editor,
        values={
            "name": "Fête de la mer",
            "objective": Objective.ATTRACTIVITE,
            "starts_on": START,
            "ends_on": START + dt.timedelta(days=13),
            "posts_per_week": 2,
        },
    )


def text(response):
    return html.unescape(response.content.decode())


def url(name, commune, *args):
    return reverse(f"campaigns:{name}", args=[commune.slug, *args])


def form_data(commune, **changes):
    return {
        "name": "Quartiers d'été",
        "objective": "lien_social",
        "description": "",
        "starts_on": "01/07/2031",
        "ends_on": "31/08/2031",
        "posts_per_week": "1",
        "budget": "1 500,50",
        "kpis": ["commentaires", "contributions"],
        "audiences": [commune.audiences.get(slug="familles").pk],
        "slug": "",
        **changes,
    }


# -- list and page ------------------------------------------------------------------------
def test_every_member_reads_the_list_and_the_page(
    client_of, commune, campaign, elected, agent
):
    for member in (elected, agent):
        client = client_of(member)
        page = client.get(url("list", commune))
        assert page.status_code == 200
        assert "Fête de la mer" in text(page)
        assert url("new", commune) not in text(page)
        detail = client.get(url("detail", commune, campaign.pk))
        assert detail.status_code == 200
        assert "utm_campaign=fete-de-la-mer" in text(detail)
        assert url("edit", commune, campaign.pk) not in text(detail)


def test_the_list_counts_posts_without_a_query_per_campaign(
    client_of, commune, editor, post, django_assert_max_num_queries
):
    for number in range(6):
        made = campaign_save(
            authority=commune,
            actor=editor,
            values={
                "name": f"Campagne {number}",
                "objective": "image",
                "starts_on": START,
                "ends_on": START,
                "audiences": list(commune.audiences.all()[:2]),
            },
        )
    post_set_campaign(post=post, campaign=made, actor=editor)
    client = client_of(editor)
    client.get(url("list", commune))  # warm the session and the theme
    with django_assert_max_num_queries(10):
        page = client.get(url("list", commune))
    assert "1 publication" in text(page)
    assert "0 publication" in text(page)


def test_the_page_shows_posts_by_state_gaps_and_indicators(
    client_of, commune, editor, campaign, post
):
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    Post.objects.filter(pk=post.pk).update(
        planned_at=dt.datetime(2031, 3, 4, 9, tzinfo=dt.UTC)
    )
    page = client_of(editor).get(url("detail", commune, campaign.pk))
    assert "Brouillon" in text(page) and "Fête du jeu" in text(page)
    # two weeks, two posts expected in each, one planned in the first
    assert "2 semaines sur 2" in text(page)
    assert "prévues : 1 ; attendues : 2 ; à ajouter : 1." in text(page)
    assert "Clics vers le site" in text(page)
    assert "du 3 mars 2031 au 16 mars 2031" in text(page)


def test_the_page_warns_of_a_pre_election_window(client_of, commune, editor, campaign):
    from parvis.territory.models import Election

    commune.elections.all().delete()
    Election.objects.create(
        authority=commune, kind="municipales", first_round=dt.date(2031, 3, 16)
    )
    campaign.promotes_achievements = True
    campaign.save(update_fields=["promotes_achievements"])
    page = client_of(editor).get(url("detail", commune, campaign.pk))
    assert "Période préélectorale" in text(page)
    assert "justification écrite" in text(page)


# -- the form -----------------------------------------------------------------------------
def test_a_writer_creates_a_campaign_with_french_dates_and_amount(
    client_of, commune, editor
):
    client = client_of(editor)
    assert client.get(url("new", commune)).status_code == 200
    response = client.post(url("new", commune), form_data(commune))
    campaign = Campaign.objects.get()
    assert response.status_code == 302
    assert response.url == url("detail", commune, campaign.pk)
    assert campaign.starts_on == dt.date(2031, 7, 1)
    assert str(campaign.budget) == "1500.50"
    assert campaign.slug == "quartiers-d-ete"
    assert campaign.kpis == ["commentaires", "contributions"]
    assert [a.slug for a in campaign.audiences.all()] == ["familles"]


def test_the_form_offers_only_the_indicators_of_the_objective(
    client_of, commune, editor, campaign
):
    page = client_of(editor).get(url("edit", commune, campaign.pk))
    assert 'value="clics"' in text(page)
    assert 'value="contributions"' not in text(page)
    assert "Code électoral" in text(page) and "L52-1" in text(page)


def test_indicators_of_another_objective_are_refused_in_french(
    client_of, commune, editor
):
    response = client_of(editor).post(
        url("new", commune), form_data(commune, objective="notoriete")
    )
    assert response.status_code == 200
    assert "ne se mesurent pas pour l'objectif choisi" in text(response)
    assert "Contributions" in text(response)
    # the indicators of the new objective are now offered
    assert 'value="abonnes_gagnes"' in text(response)
    assert not Campaign.objects.exists()


def test_no_indicator_and_dates_in_the_wrong_order_are_refused_in_french(
    client_of, commune, editor
):
    response = client_of(editor).post(
        url("new", commune),
        form_data(commune, kpis=[], starts_on="31/08/2031", ends_on="01/07/2031"),
    )
    assert "Cochez au moins un indicateur." in text(response)
    assert "La fin de la campagne ne peut précéder son début." in text(response)


def test_a_negative_budget_is_refused_in_french(client_of, commune, editor):
    response = client_of(editor).post(
        url("new", commune), form_data(commune, budget="-10")
    )
    assert "Le budget ne peut pas être négatif." in text(response)
    assert not Campaign.objects.exists()


def test_audiences_and_channels_of_another_authority_are_refused_in_the_form(
    client_of, commune, editor, other_authority
):
    from parvis.planning.tests.test_campaigns_services import other_channel

    foreign_audience = other_authority.audiences.first()
    response = client_of(editor).post(
        url("new", commune),
        form_data(
            commune,
            audiences=[foreign_audience.pk],
            channels=[other_channel(other_authority).pk],
        ),
    )
    assert response.status_code == 200
    assert "Ce public n'appartient pas à la collectivité." in text(response)
    assert "Ce canal n'appartient pas à la collectivité." in text(response)
    assert not Campaign.objects.exists()
    assert f'name="audiences" value="{foreign_audience.pk}"' not in text(response)
    assert f'name="audiences" value="{commune.audiences.first().pk}"' in text(response)


def test_a_writer_changes_a_campaign(client_of, commune, editor, campaign):
    response = client_of(editor).post(
        url("edit", commune, campaign.pk),
        form_data(commune, name="Fête de la mer 2031", slug="fete-de-la-mer"),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert campaign.name == "Fête de la mer 2031"
    assert campaign.objective == "lien_social"


def test_choosing_image_preselects_its_indicators_and_the_l52_1_box(
    client_of, commune, editor
):
    page = client_of(editor).get(
        url("objective_fields", commune), {"objective": "image"}
    )
    assert page.status_code == 200
    for slug in ("taux_engagement", "reactions_positives", "partages"):
        assert f'value="{slug}"' in text(page)
    assert text(page).count("checked") == 4  # three defaults and the L52-1 box
    assert 'value="contributions"' not in text(page)
    assert 'hx-swap-oob="innerHTML"' in text(page)
    other = client_of(editor).get(
        url("objective_fields", commune), {"objective": "crise"}
    )
    assert text(other).count("checked") == 4  # four defaults, box left unchecked


def test_a_new_form_from_an_objective_link_preselects_it(client_of, commune, editor):
    page = client_of(editor).get(url("new", commune), {"objectif": "image"})
    box = re.search(
        r'<input type="checkbox" name="promotes_achievements"[^>]*>', text(page)
    )
    assert box and "checked" in box.group(0)


# -- delete -------------------------------------------------------------------------------
def test_delete_asks_for_confirmation_then_keeps_the_posts(
    client_of, commune, editor, campaign, post
):
    post_set_campaign(post=post, campaign=campaign, actor=editor)
    client = client_of(editor)
    page = client.get(url("delete", commune, campaign.pk))
    assert page.status_code == 200
    assert "Sa publication reste dans le studio" in text(page)
    assert Campaign.objects.exists()
    response = client.post(url("delete", commune, campaign.pk))
    assert response.url == url("list", commune)
    assert not Campaign.objects.exists()
    post.refresh_from_db()
    assert post.campaign is None


# -- the campaign of a post, from the studio ----------------------------------------------
def test_the_editor_offers_the_campaigns_to_a_writer_only(
    client_of, commune, editor, elected, campaign, post
):
    editor_url = reverse("studio:post", args=[commune.slug, post.pk])
    page = client_of(editor).get(editor_url)
    assert url("post_set", commune, post.pk) in text(page)
    assert "Fête de la mer" in text(page) and "Aucune" in text(page)
    page = client_of(elected).get(editor_url)
    assert url("post_set", commune, post.pk) not in text(page)


def test_a_writer_puts_a_post_in_a_campaign_from_the_editor(
    client_of, commune, editor, campaign, post
):
    client = client_of(editor)
    response = client.post(
        url("post_set", commune, post.pk), {"campaign": campaign.pk}, follow=True
    )
    assert "ajoutée à la campagne « Fête de la mer »" in text(response)
    post.refresh_from_db()
    assert (post.campaign, post.campaign_slug) == (campaign, "fete-de-la-mer")
    client.post(url("post_set", commune, post.pk), {"campaign": ""})
    post.refresh_from_db()
    assert post.campaign is None


def test_a_campaign_of_another_authority_is_refused_from_the_editor(
    client_of, commune, editor, post, other_authority
):
    foreign = Campaign.objects.create(
        authority=other_authority,
        name="Lyon",
        slug="lyon",
        objective="image",
        starts_on=START,
        ends_on=START,
    )
    response = client_of(editor).post(
        url("post_set", commune, post.pk), {"campaign": foreign.pk}, follow=True
    )
    assert "Cette campagne n'appartient pas à la collectivité." in text(response)
    post.refresh_from_db()
    assert post.campaign is None


def test_a_new_post_may_start_in_a_campaign(client_of, commune, editor, campaign):
    client = client_of(editor)
    page = client.get(
        reverse("studio:new", args=[commune.slug]), {"campagne": campaign.pk}
    )
    assert f'<option value="{campaign.pk}" selected>' in text(page)
    response = client.post(
        reverse("studio:new", args=[commune.slug]),
        {
            "origin": "blank",
            "title": "Concert",
            "text": "Concert sur la plage samedi à 21 h, entrée libre.",
            "url": "https://www.saint-malo.example/concert",
            "networks": ["mastodon"],
            "audiences": [commune.audiences.get(slug="habitants").pk],
            "campaign": campaign.pk,
            "campaign_slug": "",
        },
    )
    assert response.status_code == 302
    post = Post.objects.get(title="Concert")
    assert post.campaign == campaign
    assert "utm_campaign=fete-de-la-mer" in post.variants.get().link


# -- who may do what ----------------------------------------------------------------------
def writer_routes(commune, campaign, post):
    return [
        ("get", url("new", commune)),
        ("get", url("edit", commune, campaign.pk)),
        ("get", url("delete", commune, campaign.pk)),
        ("post", url("delete", commune, campaign.pk)),
        ("get", url("objective_fields", commune)),
        ("post", url("post_set", commune, post.pk)),
    ]


@pytest.mark.parametrize("role", ["elected", "agent"])
def test_readers_do_not_reach_the_writers_pages(
    request, client_of, commune, campaign, post, role
):
    client = client_of(request.getfixturevalue(role))
    for method, route in writer_routes(commune, campaign, post):
        assert getattr(client, method)(route).status_code == 404, route
    assert Campaign.objects.exists()


@pytest.mark.parametrize("role", ["editor", "validator", "admin_user"])
def test_every_writer_reaches_the_writers_pages(
    request, client_of, commune, campaign, role
):
    client = client_of(request.getfixturevalue(role))
    assert client.get(url("new", commune)).status_code == 200
    assert client.get(url("edit", commune, campaign.pk)).status_code == 200


def test_an_outsider_gets_404_on_every_route(
    client_of, commune, campaign, post, outsider
):
    client = client_of(outsider)
    routes = [
        ("get", url("list", commune)),
        ("get", url("detail", commune, campaign.pk)),
        *writer_routes(commune, campaign, post),
        ("post", url("new", commune)),
        ("post", url("edit", commune, campaign.pk)),
    ]
    for method, route in routes:
        assert getattr(client, method)(route).status_code == 404, route
    assert Campaign.objects.filter(pk=campaign.pk).exists()


def test_a_campaign_id_of_another_authority_is_a_404(
    client_of, commune, campaign, agency, other_authority
):
    # The agency's editor is a member of both: the id must match the URL's authority.
    client = client_of(agency)
    other_url = reverse("campaigns:detail", args=[other_authority.slug, campaign.pk])
    assert client.get(other_url).status_code == 404
    edit_url = reverse("campaigns:edit", args=[other_authority.slug, campaign.pk])
    assert client.post(edit_url, form_data(commune)).status_code == 404
