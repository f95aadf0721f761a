import pytest
from django.core.exceptions import ValidationError

from parvis.studio import services
from parvis.studio.models import Variant
from parvis.system.models import AuditEvent

pytestmark = pytest.mark.django_db

SIX_CHECKS = {
    "fits",
    "specificity",
    "readability",
    "plain_language",
    "accessibility",
    "facts",
}
TITLE = "Fête du jeu au parc des Chênes"
TEXT = (
    "La Ville organise la Fête du jeu le samedi 14 juin 2027 de 14 h à 19 h au parc "
    "des Chênes. Jeux de société, jeux géants et ateliers pour les enfants de 3 à 12 "
    "ans sont proposés par les associations de la commune. L'entrée est gratuite.\n\n"
    "Les ateliers de construction demandent une inscription au 02 99 00 00 00 avant le "
    "10 juin. En cas de pluie, la fête a lieu au gymnase Duguay-Trouin, 12 rue de la "
    "Marne. Un goûter est offert aux familles à 16 h 30."
)
URL = "https://www.saint-malo.example/agenda/fete-du-jeu"


def audiences(authority, *slugs):
    return [authority.audiences.get(slug=slug).pk for slug in slugs]


def make_post(authority, actor, networks=("x",), slugs=("habitants",)):
    return services.post_create_blank(
        authority=authority,
        actor=actor,
        title=TITLE,
        text=TEXT,
        url=URL,
        networks=list(networks),
        audience_ids=audiences(authority, *slugs),
        campaign_slug="fete-du-jeu",
    )


def make_article(authority, **values):
    from parvis.sources.models import Article

    defaults = {
        "canonical_url": URL,
        "url": URL,
        "title": TITLE,
        "lead": "Une après-midi de jeux pour toute la famille.",
        "text": TEXT,
        "image_url": "https://www.saint-malo.example/fete.jpg",
        "image_alt": "Des enfants autour d'un jeu géant",
        "content_hash": "a" * 64,
    }
    return Article.objects.create(authority=authority, **(defaults | values))


def test_a_post_gets_one_checked_variant_per_network_and_audience(commune, editor):
    post = make_post(
        commune,
        editor,
        networks=("x", "mastodon", "facebook"),
        slugs=("habitants", "familles"),
    )
    variants = list(post.variants.select_related("audience"))
    assert len(variants) == 6
    assert {(v.network, v.audience.slug) for v in variants} == {
        (network, slug)
        for network in ("x", "mastodon", "facebook")
        for slug in ("habitants", "familles")
    }
    for variant in variants:
        assert set(variant.checks) == SIX_CHECKS
        assert variant.checks["fits"]["ok"], variant.checks["fits"]["message"]
        assert variant.parts == variant.generated_parts
        assert not variant.is_edited
    assert post.source_text == TEXT
    assert post.state == "draft"
    event = AuditEvent.objects.get(action="studio.post_create")
    assert event.authority == commune
    assert "6 variantes" in event.summary


def test_links_carry_the_network_and_campaign(commune, editor):
    post = make_post(commune, editor, networks=("mastodon",))
    link = post.variants.get().link
    assert link.startswith(URL)
    assert "utm_source=mastodon" in link
    assert "utm_campaign=fete-du-jeu" in link


def test_a_post_from_an_article_keeps_a_snapshot_of_it(commune, editor):
    article = make_article(commune)
    post = services.post_create_from_article(
        authority=commune,
        article=article,
        actor=editor,
        networks=["instagram"],
        audience_ids=audiences(commune, "familles"),
    )
    assert post.article == article
    assert post.source_lead.startswith("Une après-midi")
    assert post.source_image_alt == "Des enfants autour d'un jeu géant"
    variant = post.variants.get()
    assert variant.image_alt == "Des enfants autour d'un jeu géant"
    article.text = "Changé sur le site."
    article.save()
    post.refresh_from_db()
    assert post.source_text == TEXT


def test_an_article_or_audience_of_another_authority_is_refused(
    commune, other_authority, editor
):
    foreign = make_article(other_authority)
    with pytest.raises(ValidationError):
        services.post_create_from_article(
            authority=commune,
            article=foreign,
            actor=editor,
            networks=["x"],
            audience_ids=audiences(commune, "habitants"),
        )
    with pytest.raises(ValidationError):
        services.post_create_blank(
            authority=commune,
            actor=editor,
            title=TITLE,
            text=TEXT,
            networks=["x"],
            audience_ids=audiences(other_authority, "habitants"),
        )


def test_editing_a_part_recomputes_the_checks_and_is_audited(commune, editor):
    variant = make_post(commune, editor, networks=("mastodon",)).variants.get()
    assert variant.checks["facts"]["ok"]
    invented = "Fête du jeu le 31 décembre 2099 à 23 h, entrée 45 €."
    services.variant_update(
        variant=variant, parts=[invented], image_alt="", actor=editor
    )
    variant.refresh_from_db()
    assert variant.parts == [invented]
    assert variant.is_edited
    assert not variant.checks["facts"]["ok"]
    assert "2099" in variant.checks["facts"]["message"]
    event = AuditEvent.objects.get(action="studio.variant_update")
    assert event.changes["parts"][1] == [invented]


def test_empty_parts_are_dropped_and_an_empty_message_refused(commune, editor):
    variant = make_post(commune, editor, networks=("x",)).variants.get()
    services.variant_update(
        variant=variant, parts=["Un.", "  ", "Deux."], image_alt="", actor=editor
    )
    assert variant.parts == ["Un.", "Deux."]
    with pytest.raises(ValidationError):
        services.variant_update(
            variant=variant, parts=["", " "], image_alt="", actor=editor
        )
    variant.refresh_from_db()
    assert variant.parts == ["Un.", "Deux."]


def test_regenerating_replaces_the_edit_with_the_engines_text(commune, editor):
    variant = make_post(commune, editor, networks=("bluesky",)).variants.get()
    proposed = list(variant.parts)
    services.variant_update(
        variant=variant, parts=["Texte à moi."], image_alt="", actor=editor
    )
    services.variant_regenerate(variant=variant, actor=editor)
    variant.refresh_from_db()
    assert variant.parts == proposed == variant.generated_parts
    assert set(variant.checks) == SIX_CHECKS
    event = AuditEvent.objects.get(action="studio.variant_regenerate")
    assert event.changes["parts"] == [["Texte à moi."], proposed]


def test_a_variant_without_audience_is_written_for_the_inhabitants(commune, editor):
    post = make_post(commune, editor)
    bare = Variant.objects.create(post=post, network="linkedin", parts=["x"])
    services.variant_regenerate(variant=bare, actor=editor)
    assert bare.parts != ["x"]
    assert set(bare.checks) == SIX_CHECKS
