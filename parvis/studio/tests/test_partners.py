"""Partner accounts: kept per network by the team, mentioned by the engine."""

import pytest
from django.urls import reverse

from parvis.accounts.roles import Role
from parvis.accounts.services import membership_set
from parvis.studio import services
from parvis.studio.forms import PartnerAccountForm
from parvis.studio.models import PartnerAccount
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

PARTNER = "Office de tourisme de Saint-Malo"
TEXT = (
    f"La Ville et l'{PARTNER} organisent la Fête du jeu le samedi 14 juin 2027 de 14 h "
    "à 19 h au parc des Chênes. L'entrée est gratuite."
)


def add_partner(authority, actor, network, handle, name=PARTNER):
    return services.partner_save(
        authority=authority,
        actor=actor,
        values={"name": name, "network": network, "handle": handle},
    )


def make_post(authority, actor, networks):
    return services.post_create_blank(
        authority=authority,
        actor=actor,
        title="Fête du jeu au parc des Chênes",
        text=TEXT,
        url="https://www.saint-malo.example/agenda/fete-du-jeu",
        networks=networks,
        audience_ids=[authority.audiences.get(slug="habitants").pk],
    )


def text_of(post, network):
    return post.variants.get(network=network).text


def test_a_partner_named_in_the_article_is_mentioned_on_its_network_only(
    commune, editor
):
    add_partner(commune, editor, "x", "@StMaloTourisme")
    add_partner(commune, editor, "mastodon", "@tourisme@mastodon.example")

    post = make_post(commune, editor, ["x", "mastodon", "facebook"])

    assert f"{PARTNER} (@StMaloTourisme)" in text_of(post, "x")
    assert f"{PARTNER} (@tourisme@mastodon.example)" in text_of(post, "mastodon")
    facebook = text_of(post, "facebook")
    assert PARTNER in facebook
    assert "@StMaloTourisme" not in facebook
    assert "@tourisme" not in facebook


def test_a_partner_of_another_authority_is_not_mentioned(
    commune, editor, other_authority, outsider
):
    add_partner(other_authority, outsider, "x", "@StMaloTourisme")

    post = make_post(commune, editor, ["x"])

    assert "@StMaloTourisme" not in text_of(post, "x")


def test_regenerating_a_variant_uses_the_partners_known_today(commune, editor):
    post = make_post(commune, editor, ["x"])
    variant = post.variants.get()
    assert "@StMaloTourisme" not in variant.text

    add_partner(commune, editor, "x", "@StMaloTourisme")
    services.variant_regenerate(variant=variant, actor=editor)

    assert f"{PARTNER} (@StMaloTourisme)" in variant.text


@pytest.mark.parametrize(
    ("network", "handle"),
    [
        ("x", "@SaintMalo_35"),
        ("mastodon", "@saintmalo@mastodon.social"),
        ("bluesky", "@saint-malo.bsky.social"),
        ("instagram", "@saint.malo_tourisme"),
        ("facebook", "@Office de Tourisme Saint-Malo"),
        ("linkedin", "@Office de Tourisme Saint-Malo"),
    ],
)
def test_a_handle_written_as_the_network_expects_is_accepted(commune, network, handle):
    form = PartnerAccountForm(
        {"name": PARTNER, "network": network, "handle": f" {handle} "},
        authority=commune,
    )
    assert form.is_valid(), form.errors
    assert form.cleaned_data["handle"] == handle


@pytest.mark.parametrize(
    ("network", "handle", "message"),
    [
        ("x", "@UnNomBeaucoupTropLong", "Sur X, un compte s'écrit @nom"),
        ("x", "SaintMalo", "Sur X, un compte s'écrit @nom"),
        ("x", "@saint-malo", "Sur X, un compte s'écrit @nom"),
        ("mastodon", "@saintmalo", "Sur Mastodon, un compte s'écrit"),
        ("mastodon", "@saintmalo@mastodon", "Sur Mastodon, un compte s'écrit"),
        ("bluesky", "@saintmalo", "Sur Bluesky, un compte s'écrit"),
        ("bluesky", "saint-malo.bsky.social", "Sur Bluesky, un compte s'écrit"),
        ("instagram", "@saint malo", "Sur Instagram, un compte s'écrit"),
        ("instagram", "@" + "a" * 31, "Sur Instagram, un compte s'écrit"),
        ("facebook", "Office de Tourisme", "Sur Facebook, écrivez @"),
        ("linkedin", "@ Office", "Sur LinkedIn, écrivez @"),
    ],
)
def test_a_handle_that_does_not_fit_its_network_is_refused_in_french(
    commune, network, handle, message
):
    form = PartnerAccountForm(
        {"name": PARTNER, "network": network, "handle": handle}, authority=commune
    )
    assert not form.is_valid()
    assert message in form.errors["handle"][0]


def test_an_editor_adds_a_partner_account_and_it_is_audited(client_of, editor, commune):
    client = client_of(editor)
    response = client.post(
        reverse("studio:partner_new", args=[commune.slug]),
        {"name": PARTNER, "network": "x", "handle": "@StMaloTourisme"},
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("studio:partners", args=[commune.slug])
    partner = PartnerAccount.objects.get(authority=commune)
    assert partner.handle == "@StMaloTourisme"
    assert AuditEvent.objects.filter(action="partneraccount.create").exists()
    page = client.get(reverse("studio:partners", args=[commune.slug]))
    assert "@StMaloTourisme" in page.text


def test_the_same_partner_twice_on_one_network_is_refused(client_of, editor, commune):
    add_partner(commune, editor, "x", "@StMaloTourisme")
    page = client_of(editor).post(
        reverse("studio:partner_new", args=[commune.slug]),
        {"name": PARTNER.upper(), "network": "x", "handle": "@Autre"},
    )
    assert "Ce partenaire a déjà un compte enregistré sur ce réseau" in page.text
    assert PartnerAccount.objects.filter(authority=commune).count() == 1


def test_an_editor_deletes_a_partner_account(client_of, editor, commune):
    partner = add_partner(commune, editor, "x", "@StMaloTourisme")
    client = client_of(editor)
    delete = reverse("studio:partner_delete", args=[commune.slug, partner.pk])
    form = client.get(reverse("studio:partner_edit", args=[commune.slug, partner.pk]))
    assert f'action="{delete}"' in form.text

    response = client.post(delete)
    assert response.status_code == 302
    assert not PartnerAccount.objects.filter(pk=partner.pk).exists()
    assert AuditEvent.objects.filter(action="partneraccount.delete").exists()


def test_an_agent_sees_the_partners_but_cannot_change_them(
    client_of, commune, admin_user
):
    from conftest import make_user

    agent = make_user("voirie@saint-malo.example")
    membership_set(authority=commune, user=agent, role=Role.AGENT, actor=admin_user)
    partner = add_partner(commune, admin_user, "x", "@StMaloTourisme")
    client = client_of(agent)

    page = client.get(reverse("studio:partners", args=[commune.slug]))
    assert page.status_code == 200
    assert "@StMaloTourisme" in page.text
    assert reverse("studio:partner_new", args=[commune.slug]) not in page.text
    new = reverse("studio:partner_new", args=[commune.slug])
    edit = reverse("studio:partner_edit", args=[commune.slug, partner.pk])
    assert client.get(new).status_code == 404
    assert client.post(edit, {"name": "X", "network": "x"}).status_code == 404


def test_the_navigation_links_to_the_partners(client_of, editor, commune):
    page = client_of(editor).get(reverse("web:dashboard", args=[commune.slug]))
    assert reverse("studio:partners", args=[commune.slug]) in page.text
